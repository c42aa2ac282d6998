"""The back office shows every partners model, and operators redeliver webhooks, re-enable
endpoints and hand cases to the partner from the lists."""

from __future__ import annotations

import pytest
from django.test import Client

from quartier.partners.integration.outbox import webhook_emit
from quartier.partners.models import Case, Qualification, WebhookAttempt, WebhookDelivery
from tests.factories import make_customer
from tests.partners.test_webhooks_support import (
    deliver_due,
    open_case,
    receiver,
    run_queued_redeliveries,
    setup_partner,
    webhook_settings,
)

__all__ = ["receiver", "webhook_settings"]  # fixtures


@pytest.fixture
def operator_client(db: None) -> Client:
    operator = make_customer(email="operator@example.com", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(operator)
    return client


def test_every_partners_page_of_the_back_office_opens(operator_client, receiver):
    setup = setup_partner(receiver.url)
    case = open_case(setup)
    deliver_due()
    delivery = WebhookDelivery.objects.get()
    pages = {
        "/admin/partners/partner/": "Swisstel",
        "/admin/partners/program/": "Home Internet",
        f"/admin/partners/program/{setup.program.pk}/change/": "router-setup",
        "/admin/partners/qualification/?state__exact=qualified": setup.helper.email,
        "/admin/partners/case/?request__state=requested": "T-1001",
        f"/admin/partners/case/{case.pk}/change/": "T-1001",
        "/admin/partners/webhookendpoint/?is_enabled__exact=1": receiver.url,
        f"/admin/partners/webhookendpoint/{setup.endpoint.pk}/change/": receiver.url,
        "/admin/partners/webhookmessage/?event_type=case.created": "case.created",
        "/admin/partners/webhookdelivery/?status__exact=succeeded": "succeeded",
        f"/admin/partners/webhookdelivery/{delivery.pk}/change/": "200",
        "/admin/partners/webhookattempt/": "200",
        "/admin/partners/partnerapikey/": "",
        "/admin/partners/lesson/": "",
        "/admin/partners/quizattempt/": "",
        "/admin/partners/idempotencykey/": "",
    }
    for url, text in pages.items():
        response = operator_client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
    endpoint_page = operator_client.get(
        f"/admin/partners/webhookendpoint/{setup.endpoint.pk}/change/"
    )
    assert setup.endpoint.secret not in endpoint_page.content.decode()


def test_operators_redeliver_a_message_from_the_log(
    operator_client, receiver, django_capture_on_commit_callbacks
):
    setup = setup_partner(receiver.url)
    webhook_emit(partner_id=setup.partner.pk, event_type="case.created", data={"n": 1})
    deliver_due()
    delivery = WebhookDelivery.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(
            "/admin/partners/webhookdelivery/",
            {"action": "redeliver_selected", "_selected_action": [delivery.pk]},
            follow=True,
        )
    run_queued_redeliveries()

    assert response.status_code == 200
    assert WebhookAttempt.objects.filter(delivery=delivery, manual=True).count() == 1
    assert len(receiver.received) == 2


def test_operators_hand_a_case_to_the_partner(operator_client, receiver):
    setup = setup_partner(receiver.url)
    case = open_case(setup)

    operator_client.post(
        "/admin/partners/case/",
        {"action": "escalate_selected", "_selected_action": [case.pk]},
        follow=True,
    )

    case = Case.objects.select_related("request").get(pk=case.pk)
    assert (case.request.state, case.escalation_reason) == ("escalated", "partner")
    assert case.notes.get().author_kind == "operator"


def test_operators_disable_and_enable_an_endpoint(operator_client, receiver):
    setup = setup_partner(receiver.url)
    page = "/admin/partners/webhookendpoint/"

    operator_client.post(
        page, {"action": "disable_selected", "_selected_action": [setup.endpoint.pk]}
    )
    setup.endpoint.refresh_from_db()
    assert not setup.endpoint.is_enabled

    operator_client.post(
        page, {"action": "enable_selected", "_selected_action": [setup.endpoint.pk]}
    )
    setup.endpoint.refresh_from_db()
    assert setup.endpoint.is_enabled


def test_operators_revoke_a_qualification(operator_client, receiver):
    setup = setup_partner(receiver.url)
    qualification = Qualification.objects.get(helper=setup.helper, program=setup.program)

    operator_client.post(
        "/admin/partners/qualification/",
        {"action": "revoke_selected", "_selected_action": [qualification.pk]},
    )

    qualification.refresh_from_db()
    assert qualification.state == "revoked"
    assert qualification.events.latest("pk").to_state == "revoked"
