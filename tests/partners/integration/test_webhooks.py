"""Partner webhooks end to end: a real HTTP receiver on 127.0.0.1 gets signed messages it can
verify with the standardwebhooks library; failures are retried on schedule and an endpoint
that keeps failing is disabled; private addresses are refused."""

from __future__ import annotations

import base64
import json
import socket
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook

from quartier.errors import Forbidden, InvalidInput, NotFound
from quartier.partners.integration.delivery import (
    MAX_ATTEMPTS,
    RETRY_SCHEDULE,
    delivery_attempt,
    webhook_sweep,
)
from quartier.partners.integration.outbox import webhook_emit
from quartier.partners.integration.selectors import delivery_attempts, delivery_log
from quartier.partners.integration.services import (
    delivery_redeliver,
    endpoint_create,
    endpoint_enable,
    endpoint_rotate_secret,
    endpoint_update,
)
from quartier.partners.models import WebhookAttempt, WebhookDelivery, WebhookMessage
from quartier.partners.states import DeliveryStatus, PartnerRole
from tests.mail import send_queued_emails
from tests.partners.factories import make_member
from tests.partners.test_webhooks_support import (
    Receiver,
    deliver_due,
    receiver,
    run_queued_redeliveries,
    setup_partner,
    webhook_settings,
)

__all__ = ["receiver", "webhook_settings"]  # fixtures


def emit(partner_id: int, reference: str = "T-1") -> WebhookMessage:
    return webhook_emit(
        partner_id=partner_id, event_type="case.created", data={"reference": reference}
    )


def verified(receiver: Receiver, secret: str) -> list[dict[str, Any]]:
    return [Webhook(secret).verify(r.body, r.headers) for r in receiver.received]


def verify_last(receiver: Receiver, secret: str) -> dict[str, Any]:
    got = receiver.received[-1]
    result: dict[str, Any] = Webhook(secret).verify(got.body, got.headers)
    return result


@pytest.mark.django_db
def test_a_delivered_message_verifies_with_the_standard_webhooks_library(receiver):
    setup = setup_partner(receiver.url)
    message = emit(setup.partner.pk, "T-42")

    assert deliver_due() == ["succeeded"]

    [got] = receiver.received
    assert got.headers["webhook-id"] == message.msg_id
    assert got.headers["content-type"] == "application/json"
    [payload] = verified(receiver, setup.endpoint.secret)
    assert payload["type"] == "case.created"
    assert payload["data"] == {"reference": "T-42"}
    [row] = delivery_log(actor=setup.admin, partner=setup.partner, endpoint_id=setup.endpoint.pk)
    assert (row.status, row.attempts, row.last_response_status) == ("succeeded", 1, 200)
    assert row.event_type == "case.created"


@pytest.mark.django_db
def test_a_tampered_body_or_another_secret_fails_verification(receiver):
    setup = setup_partner(receiver.url)
    emit(setup.partner.pk)
    deliver_due()
    [got] = receiver.received
    with pytest.raises(Exception, match="No matching signature"):
        Webhook(setup.endpoint.secret).verify(got.body.replace(b"T-1", b"T-2"), got.headers)
    other = "whsec_" + base64.b64encode(b"x" * 24).decode()
    with pytest.raises(Exception, match="No matching signature"):
        Webhook(other).verify(got.body, got.headers)


@pytest.mark.django_db
def test_a_failing_receiver_gets_retries_on_schedule_until_it_recovers(receiver):
    receiver.answers = [500, 503, 200]
    setup = setup_partner(receiver.url)
    emit(setup.partner.pk)
    start = timezone.now()

    secret = setup.endpoint.secret
    payloads = []
    with time_machine.travel(start, tick=False):
        assert deliver_due() == ["pending"]  # attempt 1 fails at once
        payloads.append(verify_last(receiver, secret))
    delivery = WebhookDelivery.objects.get()
    assert delivery.next_attempt_at == start + RETRY_SCHEDULE[1]
    with time_machine.travel(start + timedelta(seconds=3), tick=False):
        assert webhook_sweep() == 0  # not due yet
    second = start + timedelta(minutes=2)  # the sweep picks it up (its task was "lost")
    with time_machine.travel(second, tick=False):
        assert webhook_sweep() == 1
        payloads.append(verify_last(receiver, secret))
        delivery.refresh_from_db()
        assert delivery.next_attempt_at == second + RETRY_SCHEDULE[2]  # 5 minutes on
    with time_machine.travel(second + timedelta(minutes=4), tick=False):
        assert webhook_sweep() == 0
    with time_machine.travel(second + timedelta(minutes=7), tick=False):
        assert webhook_sweep() == 1
        # each attempt is signed afresh, so a receiver's 5-minute tolerance holds
        payloads.append(verify_last(receiver, secret))

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("succeeded", 3, None)
    statuses = list(
        WebhookAttempt.objects.order_by("attempted_at").values_list("response_status", flat=True)
    )
    assert statuses == [500, 503, 200]
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1  # same message
    assert len(payloads) == 3
    with time_machine.travel(second + timedelta(days=4), tick=False):
        assert webhook_sweep() == 0  # delivered: never again


@pytest.mark.django_db
def test_an_endpoint_failing_for_three_days_is_disabled_and_the_partner_emailed(
    receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [500]
    setup = setup_partner(receiver.url)
    emit(setup.partner.pk, "T-1")
    deliver_due()
    later = emit(setup.partner.pk, "T-2")  # queued behind it, also failing
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(MAX_ATTEMPTS * 2):
            traveller.shift(timedelta(hours=10, minutes=2))
            with django_capture_on_commit_callbacks(execute=True):
                webhook_sweep()
            if not WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).exists():
                break

    first = WebhookDelivery.objects.exclude(message=later).get()
    assert (first.status, first.attempts) == ("failed", MAX_ATTEMPTS)
    setup.endpoint.refresh_from_db()
    assert not setup.endpoint.is_enabled
    assert setup.endpoint.disabled_at is not None
    assert "72 hours" in setup.endpoint.disabled_reason
    assert WebhookDelivery.objects.get(message=later).status == "failed"
    send_queued_emails()  # through notifications' e-mail task
    [notice] = mail.outbox
    assert notice.to == ["ops@swisstel.example"]
    assert setup.endpoint.url in notice.body
    emit(setup.partner.pk, "T-3")  # a disabled endpoint gets nothing new
    assert WebhookDelivery.objects.count() == 2

    endpoint_enable(actor=setup.admin, partner=setup.partner, endpoint_id=setup.endpoint.pk)
    emit(setup.partner.pk, "T-4")
    assert WebhookDelivery.objects.filter(status="pending").count() == 1


@pytest.mark.django_db
def test_a_delivery_in_flight_is_not_sent_again_by_the_sweep(receiver):
    setup = setup_partner(receiver.url)
    emit(setup.partner.pk)
    delivery = WebhookDelivery.objects.get()
    moment = timezone.now() + timedelta(minutes=5)
    with time_machine.travel(moment, tick=False):
        assert delivery_attempt(delivery_id=delivery.pk) == "succeeded"
        assert delivery_attempt(delivery_id=delivery.pk) == "skipped"  # a duplicate task
        assert webhook_sweep() == 0
    assert len(receiver.received) == 1


@pytest.mark.django_db
def test_redelivery_by_hand_sends_a_failed_message_again_and_logs_it_as_manual(
    receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [500, 200]
    setup = setup_partner(receiver.url)
    emit(setup.partner.pk)
    deliver_due()
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed", next_attempt_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        delivery_redeliver(actor=setup.admin, partner=setup.partner, delivery_id=delivery.pk)
    assert len(receiver.received) == 1  # nothing sent within the caller's request

    assert run_queued_redeliveries() == ["200"]
    delivery.refresh_from_db()
    assert delivery.status == "succeeded"
    attempts = delivery_attempts(actor=setup.admin, partner=setup.partner, delivery_id=delivery.pk)
    assert [(a.response_status, a.manual) for a in attempts] == [(200, True), (500, False)]
    assert len(receiver.received) == 2


@pytest.mark.django_db
def test_another_partner_can_neither_see_nor_redeliver_the_log(receiver):
    setup = setup_partner(receiver.url)
    emit(setup.partner.pk)
    deliver_due()
    delivery = WebhookDelivery.objects.get()
    other = setup_partner(slug="moebelhaus")
    analyst = make_member(setup.partner, role=PartnerRole.ANALYST)

    with pytest.raises(NotFound):
        delivery_redeliver(actor=other.admin, partner=other.partner, delivery_id=delivery.pk)
    with pytest.raises(NotFound):
        delivery_redeliver(actor=other.admin, partner=setup.partner, delivery_id=delivery.pk)
    with pytest.raises(NotFound):
        delivery_log(actor=other.admin, partner=other.partner, endpoint_id=setup.endpoint.pk)
    with pytest.raises(NotFound):
        delivery_attempts(actor=other.admin, partner=other.partner, delivery_id=delivery.pk)
    with pytest.raises(Forbidden):
        delivery_redeliver(actor=analyst, partner=setup.partner, delivery_id=delivery.pk)
    assert len(delivery_log(actor=analyst, partner=setup.partner, endpoint_id=setup.endpoint.pk))
    assert WebhookAttempt.objects.count() == 1  # nobody sent anything again
    assert len(receiver.received) == 1


@pytest.mark.django_db
def test_no_webhook_when_the_change_rolls_back(receiver):
    setup = setup_partner(receiver.url)

    def change_that_fails() -> None:
        with transaction.atomic():
            emit(setup.partner.pk)
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not WebhookMessage.objects.exists()
    assert deliver_due() == []
    assert receiver.received == []


# --- endpoints -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_endpoints_get_their_own_secret_and_only_admins_manage_them():
    setup = setup_partner()
    endpoint = endpoint_create(
        actor=setup.admin,
        partner=setup.partner,
        url="https://93.184.216.34/hooks",
        events=["case.booked", "case.created", "case.booked"],
    )
    assert endpoint.secret.startswith("whsec_")
    assert len(base64.b64decode(endpoint.secret.removeprefix("whsec_"))) == 24
    assert endpoint.events == ["case.created", "case.booked"]
    old = endpoint.secret
    assert endpoint_rotate_secret(
        actor=setup.admin, partner=setup.partner, endpoint_id=endpoint.pk
    ).secret not in ("", old)
    with pytest.raises(InvalidInput) as unknown:
        endpoint_update(
            actor=setup.admin, partner=setup.partner, endpoint_id=endpoint.pk, events=["case.x"]
        )
    assert "events" in unknown.value.errors
    analyst = make_member(setup.partner, role=PartnerRole.ANALYST)
    with pytest.raises(Forbidden):
        endpoint_create(
            actor=analyst,
            partner=setup.partner,
            url="https://93.184.216.34/",
            events=["case.booked"],
        )
    endpoint.refresh_from_db()
    assert endpoint.events == ["case.created", "case.booked"]


# --- the SSRF guard --------------------------------------------------------------------------


def fake_dns(monkeypatch: pytest.MonkeyPatch, address: str) -> None:
    def getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.5/hooks",
        "https://169.254.169.254/latest/meta-data",
        "https://192.168.1.20/hooks",
        "https://[fd00::1]/hooks",
        "https://224.0.0.1/hooks",
        "https://intranet.local/hooks",
        "https://metadata.internal/",
        "https://router/hooks",
        "http://93.184.216.34/hooks",  # public, but not https
        "https://user:pw@93.184.216.34/hooks",
    ],
)
def test_private_and_internal_urls_are_refused(url, settings):
    setup = setup_partner()
    with pytest.raises(InvalidInput) as refused:
        endpoint_create(actor=setup.admin, partner=setup.partner, url=url, events=["case.booked"])
    assert refused.value.errors["url"]
    assert not setup.partner.endpoints.exists()


@pytest.mark.django_db
def test_loopback_is_refused_unless_the_setting_allows_it(settings):
    settings.QUARTIER_WEBHOOK_ALLOW_LOOPBACK = False
    setup = setup_partner()
    for url in ("http://127.0.0.1:8080/hooks", "https://localhost/hooks", "https://[::1]/"):
        with pytest.raises(InvalidInput):
            endpoint_create(
                actor=setup.admin, partner=setup.partner, url=url, events=["case.booked"]
            )
    assert not setup.partner.endpoints.exists()


@pytest.mark.django_db
def test_a_host_name_resolving_to_a_private_address_is_refused(monkeypatch):
    setup = setup_partner()
    fake_dns(monkeypatch, "10.20.30.40")
    with pytest.raises(InvalidInput) as refused:
        endpoint_create(
            actor=setup.admin,
            partner=setup.partner,
            url="https://hooks.partner.example/in",
            events=["case.booked"],
        )
    assert "10.20.30.40" in refused.value.errors["url"][0]


@pytest.mark.django_db
def test_dns_rebinding_to_a_private_address_is_refused_at_delivery(monkeypatch):
    setup = setup_partner()
    fake_dns(monkeypatch, "93.184.216.34")
    endpoint = endpoint_create(
        actor=setup.admin,
        partner=setup.partner,
        url="https://hooks.partner.example/in",
        events=["case.created"],
    )
    fake_dns(monkeypatch, "169.254.169.254")  # the name now points inside
    connections: list[Any] = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connections.append(a))
    emit(setup.partner.pk)

    assert deliver_due() == ["pending"]

    [attempt] = WebhookAttempt.objects.all()
    assert attempt.response_status is None
    assert attempt.error.startswith("refused")
    assert "169.254.169.254" in attempt.error
    assert connections == []
    assert endpoint.deliveries.get().status == "pending"  # retried: DNS may be fixed


def test_payload_bodies_are_compact_json():
    from quartier.partners.integration.delivery import body_for

    assert json.loads(body_for({"b": 1, "a": [1]})) == {"a": [1], "b": 1}


# --- through the real queue ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committing_db", "keep_signal_handlers")
def test_the_worker_delivers_what_a_committed_change_emitted(receiver):
    receiver.answers = [500, 200]
    setup = setup_partner(receiver.url)
    emit(setup.partner.pk, "T-7")  # commits: the first attempt is queued

    call_command("worker", "--batch", stdout=StringIO(), stderr=StringIO())
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)  # retry deferred 5 s

    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False):
        output = StringIO()
        call_command("worker", "--batch", stdout=output, stderr=StringIO())
        verify_last(receiver, setup.endpoint.secret)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 2)
    assert "partners tick" in output.getvalue()
    assert len(receiver.received) == 2
