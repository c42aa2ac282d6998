"""A daughter acts for her father: she posts, books, approves a change and signs off; all of
it is his (request, booking, invoice), she is recorded as the one who acted, both are told
what matters, and once revoked she gets 404 like anyone else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from quartier.audit.models import OperatorAction
from quartier.bookings.models import Booking
from quartier.events.outbox import events_deliver
from quartier.households.models import DelegateAct
from quartier.households.services import delegation_revoke
from quartier.invoicing.models import Invoice
from quartier.jobs.models import JobRequest, RequestEvent
from quartier.notifications.models import Notification
from tests.factories import (
    arrive,
    make_customer,
    make_helper,
    make_offer,
    make_request,
    window,
)
from tests.households.conftest import Household
from tests.invoicing.helpers import payout_profile

pytestmark = pytest.mark.django_db

EXTRA = {"kind": "material", "label": "HDMI-Kabel", "unit_minor": 1500, "vat_rate": 0}


def _post_for_father(api: Any, household: Household) -> dict[str, Any]:
    start, end = window(days=2)
    posted = api.post(
        "/requests",
        {
            "for_customer_id": household.father.pk,
            "skill": "tv-set-top-box",
            "title": "Fernseher zeigt kein Bild",
            "description": "Seit gestern.",
            "country": "CH",
            "postcode": "6003",
            "street_address": "Pilatusstrasse 5",
            "window_start": start.isoformat(),
            "window_end": end.isoformat(),
        },
    )
    assert posted.status_code == 201, posted.data
    return dict(posted.data)


def test_the_daughter_books_approves_and_signs_off_for_her_father(
    api_as: Any, household: Household
) -> None:
    daughter, father, helper = household.daughter, household.father, household.helper
    payout_profile(helper, "ch_unregistered")  # invoices are issued in the helper's name
    as_daughter = api_as(daughter)
    request_id = _post_for_father(as_daughter, household)["id"]
    job = JobRequest.objects.get(pk=request_id)
    assert job.customer_id == father.pk
    assert job.street_address == "Pilatusstrasse 5"
    assert RequestEvent.objects.get(request=job).actor_id == daughter.pk  # who acted
    offer = make_offer(helper, job)
    kinds = Notification.objects.filter(kind="offer").values_list("user_id", flat=True)
    assert set(kinds) == {father.pk, daughter.pk}  # both hear of the offer
    booked = as_daughter.post(f"/offers/{offer.pk}/accept", {"payment_method": "transfer"})
    assert booked.status_code in (200, 201), booked.data
    booking = Booking.objects.get(request=job)
    assert booking.customer_id == father.pk
    assert api_as(father).get(f"/bookings/{booking.pk}").status_code == 200

    arrive(booking)
    api_as(helper).post(f"/bookings/{booking.pk}/check-in")
    change = api_as(helper).post(f"/bookings/{booking.pk}/changes", EXTRA).data
    told = Notification.objects.filter(kind="booked", url=f"/bookings/{booking.pk}")
    assert {daughter.pk, father.pk} <= set(told.values_list("user_id", flat=True))
    approved = as_daughter.post(f"/bookings/{booking.pk}/changes/{change['id']}/approve")
    assert approved.status_code == 200, approved.data
    api_as(helper).post(f"/bookings/{booking.pk}/check-out", {"outcome": "fixed"})
    signed = as_daughter.post(f"/bookings/{booking.pk}/sign-off")
    assert signed.status_code == 200, signed.data
    events_deliver()  # the settlement writes the invoice
    invoice = Invoice.objects.get(kind="customer_invoice")
    assert invoice.customer_id == father.pk  # the invoice is in the father's name

    acts = DelegateAct.objects.order_by("at", "id").values_list("action", flat=True)
    assert list(acts) == ["request.post", "booking.book", "change.approve", "booking.sign_off"]
    seen = api_as(father).get("/me/household/acts").data
    assert {a["action"] for a in seen} == set(acts)
    assert all(a["delegate_name"] == "Lena Keller" for a in seen)


def test_a_former_delegate_and_a_stranger_get_404(api_as: Any, household: Household) -> None:
    request_id = _post_for_father(api_as(household.daughter), household)["id"]
    delegation_revoke(actor=household.father, delegation_id=household.delegation.pk)
    for user in (household.daughter, household.stranger):
        seen = api_as(user).get(f"/requests/{request_id}")
        assert seen.status_code == 404
        assert seen["Content-Type"].startswith("application/problem+json")
    assert api_as(household.daughter).get("/requests").data == []
    assert api_as(household.father).get(f"/requests/{request_id}").status_code == 200


def test_posting_for_someone_you_do_not_act_for_is_refused(
    api_as: Any, household: Household
) -> None:
    start, end = window(days=2)
    refused = api_as(household.stranger).post(
        "/requests",
        {
            "for_customer_id": household.father.pk,
            "skill": "tv-set-top-box",
            "title": "Fremd",
            "country": "CH",
            "postcode": "6003",
            "street_address": "Irgendwo 1",
            "window_start": start.isoformat(),
            "window_end": end.isoformat(),
        },
    )
    assert refused.status_code == 422
    assert refused.data["code"] == "not_a_delegate"
    assert not JobRequest.objects.exists()


def test_an_operator_books_by_phone_and_it_is_audited(client: Client) -> None:
    caller = make_customer(email="rosa@example.ch", full_name="Rosa Alt", email_verified_at=None)
    operator = make_customer(email="ops@example.com", is_staff=True, is_superuser=True)
    helper = make_helper(email="hans@example.ch")
    offer = make_offer(helper, make_request(caller, postcode="8004"))
    client.force_login(operator)
    admin = client
    url = f"/admin/bookings/offer/{offer.pk}/book-by-phone/"
    assert "Rosa Alt" in admin.get(url).content.decode()
    empty = admin.post(url, {"payment_method": "transfer", "note": ""})
    assert empty.status_code == 200
    assert not Booking.objects.exists()
    done = admin.post(url, {"payment_method": "cash", "note": "Rosa Alt called at 10:05"})
    assert done.status_code == 302
    booking = Booking.objects.get()
    assert booking.customer_id == caller.pk
    assert booking.payment_method == "cash"
    audit = OperatorAction.objects.get(action="booking.by_phone")
    assert audit.actor_id == operator.pk
    assert audit.reason == "Rosa Alt called at 10:05"
    client.force_login(caller)
    assert client.get(url).status_code == 302  # customers: to the admin log-in
