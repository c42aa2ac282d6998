"""A case never binds to an existing account without its owner's consent.

The attack this guards against: an anonymous visitor (or a partner) opens a case with a
victim's e-mail address; if the case joined the victim's account, whoever got booked would
see the victim's name and phone number.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from quartier.accounts.models import User
from quartier.bookings.models import Booking
from quartier.dispatch.services import invitation_accept
from quartier.jobs.models import JobRequest
from quartier.jobs.states import RequestState
from quartier.partners.cases.services import case_cancel
from quartier.partners.models import Case
from tests.factories import make_customer
from tests.partners.test_webhooks_support import invite, setup_partner
from tests.web.test_branded import form_data

VICTIM = "vera.opfer@example.ch"


@pytest.fixture
def setup(db: None) -> Any:
    cache.clear()  # the branded page's per-address counter
    return setup_partner()


@pytest.fixture
def victim(db: None) -> User:
    return make_customer(email=VICTIM, full_name="Vera Opfer", phone="+41 79 111 22 33")


def _embed(**fields: str) -> Any:
    return Client().post("/p/swisstel/embed/", form_data(**fields))


def _answer(response: Any) -> str:
    """The page without what differs between any two cases (reference, ids, tokens)."""
    html = response.content.decode()
    html = re.sub(r"WEB-[0-9A-F]+", "WEB-…", html)
    html = re.sub(r'nonce="[^"]+"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_an_anonymous_case_with_someones_email_never_reaches_their_account(setup, victim, api_as):
    response = _embed(contact_email=VICTIM, contact_name="Mallory", contact_phone="+41 76 9")

    assert response.status_code == 200
    assert not victim.requests.exists()
    case = Case.objects.get()
    request = case.request
    assert request.customer is None
    # The booked helper sees what the visitor typed, never the account's name or phone.
    booking = invitation_accept(actor=setup.helper, invitation_id=invite(case).pk)
    assert booking.customer is None
    seen = api_as(setup.helper).get(f"/requests/{request.pk}").data
    assert seen["customer_name"] == "Mallory"
    assert seen["customer_phone"] == "+41 76 9"
    assert "Vera" not in str(api_as(setup.helper).get(f"/bookings/{booking.pk}").data)


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(setup, victim):
    for_account = _embed(contact_email=VICTIM)
    for_nobody = _embed(contact_email="new.person@example.ch")

    assert for_account.status_code == for_nobody.status_code == 200
    assert _answer(for_account) == _answer(for_nobody)


def test_the_owner_confirms_by_the_emailed_link_and_the_case_joins_the_account(setup, victim):
    _embed(contact_email=VICTIM)
    case = Case.objects.get()
    request = case.request
    booking = invitation_accept(actor=setup.helper, invitation_id=invite(case).pk)
    (asked,) = victim.notifications.filter(kind="case_contact")  # in the inbox and by e-mail
    assert setup.partner.name in asked.title
    path = asked.url

    client = Client()
    page = client.get(path)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200
    assert "Router Setup" in page.content.decode()
    assert JobRequest.objects.get(pk=request.pk).customer is None

    client.post(path)
    assert JobRequest.objects.get(pk=request.pk).customer == victim
    assert Booking.objects.get(pk=booking.pk).customer == victim
    assert client.post(path).status_code == 302  # confirming again changes nothing
    assert victim.requests.count() == 1


def test_a_forged_or_foreign_link_binds_nothing(setup, victim):
    _embed(contact_email=VICTIM)

    response = Client().post("/cases/confirm/1:forged:token")

    assert response.status_code == 404
    assert not victim.requests.exists()


def test_the_partner_can_withdraw_an_unconfirmed_booked_case(setup, victim):
    _embed(contact_email=VICTIM)
    case = Case.objects.get()
    booking = invitation_accept(actor=setup.helper, invitation_id=invite(case).pk)

    case_cancel(partner=setup.partner, case_id=case.pk, reason="Solved by phone")

    booking.refresh_from_db()
    assert booking.cancelled_at is not None
    assert booking.request.state == RequestState.CANCELLED


def test_the_helper_is_told_to_call_a_customer_who_has_not_joined(setup, victim, api_as):
    _embed(contact_email=VICTIM)
    case = Case.objects.get()
    invitation_accept(actor=setup.helper, invitation_id=invite(case).pk)

    response = api_as(setup.helper).post(
        f"/requests/{case.request_id}/conversations/{setup.helper.pk}",
        {"body": "I'll be there at ten."},
    )

    assert response.status_code == 409
    assert response.data["code"] == "customer_not_joined"
