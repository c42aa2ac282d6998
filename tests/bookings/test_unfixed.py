"""The unsuccessful visit of a public job: "couldn't fix it" sends the request back to
dispatch (a new booking to come, the customer need not post again), only the visit fee the
market's terms name is settled at sign-off — never the full price — and an honest "couldn't
fix it" does not lower the helper's rank."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from quartier.bookings.models import Booking, Offer
from quartier.bookings.services import booking_cancel, offer_accept
from quartier.bookings.visit import booking_auto_sign_off
from quartier.dispatch.models import Dispatch
from quartier.events.models import DomainEvent
from quartier.events.outbox import events_deliver
from quartier.matching.models import MatchIndex
from quartier.matching.services import match_index_refresh
from quartier.payments.balances import account_balance
from tests.factories import make_booking, make_helper, make_offer, make_request, play_visit

pytestmark = pytest.mark.django_db

NOTE = "The socket in the wall is dead; it needs an electrician."


@pytest.fixture
def visit_fee(settings: Any) -> int:
    """The market's terms charge CHF 30 for a visit that could not fix it."""
    settings.QUARTIER_CANCELLATION = {
        "default": {"free_hours": 24, "fee_percent": 50},
        "CH": {"visit_fee_minor": 3000},
    }
    return 3000


def test_checkout_names_the_visit_fee_before_booking(api_as, customer, helper, visit_fee):
    offer = make_offer(helper, make_request(customer))
    terms = api_as(customer).get(f"/offers/{offer.pk}/checkout").data["cancellation"]
    assert terms["visit_fee_minor"] == visit_fee
    browser = Client(headers={"accept-language": "de"})
    browser.force_login(customer)
    page = browser.get(f"/offers/{offer.pk}/accept").content.decode()
    assert "nur eine Besuchspauschale von 30,00\xa0CHF fällig" in page


def _not_fixed(api_as, booking: Booking) -> Any:
    return api_as(booking.helper).post(
        f"/bookings/{booking.pk}/check-out", {"outcome": "not_fixed", "note": NOTE}
    )


def _settlements() -> list[dict[str, Any]]:
    return [e.payload for e in DomainEvent.objects.filter(kind="job.settled").order_by("pk")]


def test_couldnt_fix_it_sends_the_request_back_to_dispatch_and_a_new_helper_books_it(
    api_as, customer, helper, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    booking = play_visit(make_booking(customer, helper), until="checked_in")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = _not_fixed(api_as, booking)
    assert done.status_code == 200, done.data
    # No visit fee in these terms: the booking closes at once, with nothing due.
    assert (done.data["visit_state"], done.data["outcome"]) == ("cancelled", "not_fixed")
    assert done.data["visit_fee_minor"] == 0
    assert done.data["state"] == "requested"  # the request is open again
    assert Offer.objects.get(pk=booking.offer_id).status == "withdrawn"
    events_deliver()
    assert Dispatch.objects.get(request_id=booking.request_id).state == "active"
    assert _settlements() == []
    assert api_as(customer).post(f"/bookings/{booking.pk}/sign-off").status_code == 409

    (told,) = [m for m in mail.outbox if m.to == [customer.email]]
    assert "nicht erneut" in told.body  # "you do not need to post it again", in German
    assert "Für dich fallen für diesen Besuch keine Kosten an." in told.body

    # The same request, not a new one: another helper offers and the customer books.
    other = make_helper(email="eva@example.com", postcode="8004", skills=["tv-set-top-box"])
    again = offer_accept(actor=customer, offer_id=make_offer(other, booking.request).pk)
    assert again.request_id == booking.request_id
    again.request.refresh_from_db()
    assert again.request.state == "booked"


def test_a_visit_fee_is_signed_off_and_settled_alone_never_the_full_price(
    api_as, customer, helper, visit_fee
):
    booking = play_visit(make_booking(customer, helper), until="checked_in")
    assert booking.price_minor == 9000
    assert booking.visit_fee_minor == visit_fee
    done = _not_fixed(api_as, booking)
    assert (done.data["visit_state"], done.data["state"]) == ("awaiting_sign_off", "requested")
    assert _settlements() == []

    tip = api_as(customer).patch(f"/bookings/{booking.pk}/payment", {"tip_minor": 500})
    assert tip.status_code == 422
    assert "tip_minor" in tip.data["errors"]
    signed = api_as(customer).post(f"/bookings/{booking.pk}/sign-off")
    assert signed.status_code == 200, signed.data
    assert signed.data["visit_state"] == "completed"
    assert signed.data["state"] == "requested"  # still looking for the next helper
    [fee] = _settlements()
    assert (fee["booking_id"], fee["price_minor"], fee["tip_minor"]) == (booking.pk, 3000, 0)
    assert [line["total_minor"] for line in fee["lines"]] == [3000]
    assert fee["lines"][0]["label"].startswith("Besuchspauschale")  # the customer's language
    events_deliver()
    assert account_balance(f"helper:{helper.pk}:jobs-gross:CHF") == -3000

    # An unsuccessful visit is not reviewed.
    review = api_as(customer).post(f"/bookings/{booking.pk}/reviews", {"rating": 1})
    assert review.status_code == 409
    assert review.data["code"] == "not_fixed_visit"


def test_the_visit_fee_is_signed_off_automatically_after_48_hours(
    api_as, customer, helper, visit_fee
):
    booking = play_visit(make_booking(customer, helper), until="checked_in")
    _not_fixed(api_as, booking)
    checked_out = Booking.objects.get(pk=booking.pk).checked_out_at
    assert checked_out is not None
    with time_machine.travel(checked_out + timedelta(hours=47), tick=False):
        assert booking_auto_sign_off() == 0
    with time_machine.travel(checked_out + timedelta(hours=49), tick=False):
        assert booking_auto_sign_off() == 1
        assert booking_auto_sign_off() == 0  # idempotent
    assert Booking.objects.get(pk=booking.pk).state == "completed"
    assert [p["price_minor"] for p in _settlements()] == [visit_fee]


def _rank(helper_id: int) -> tuple[float, float, int]:
    match_index_refresh(helper_id=helper_id)
    row = MatchIndex.objects.get(helper_id=helper_id, skill__slug="tv-set-top-box")
    return row.reliability, row.quality, row.completed_jobs


def test_an_honest_couldnt_fix_it_does_not_lower_the_helpers_rank(
    api_as, customer, helper, visit_fee
):
    earlier = play_visit(make_booking(customer, helper))  # one job done well
    booking = play_visit(make_booking(customer, helper), until="checked_in")
    before = _rank(helper.pk)
    _not_fixed(api_as, booking)
    api_as(customer).post(f"/bookings/{booking.pk}/sign-off")
    events_deliver()
    assert _rank(helper.pk) == before
    assert earlier.state == "completed"

    # What the ranking does count against a helper still does: cancelling a booking.
    later = make_booking(customer, helper, days=5)
    booking_cancel(actor=helper, booking_id=later.pk, reason="Ill")
    assert _rank(helper.pk)[0] < before[0]


def test_the_helpers_check_out_form_names_the_visit_fee_and_the_customer_page_what_next(
    customer, helper, visit_fee
):
    booking = play_visit(make_booking(customer, helper), until="checked_in")
    page = reverse("web:booking_detail", args=[booking.pk])
    as_helper = Client(headers={"accept-language": "de"})
    as_helper.force_login(helper)
    form = as_helper.get(page).content.decode()
    assert "eine Besuchspauschale von 30,00\xa0CHF ist fällig" in form
    posted = as_helper.post(
        reverse("web:booking_complete", args=[booking.pk]),
        {"outcome": "not_fixed", "note": NOTE},
    )
    assert posted.status_code == 302
    assert Booking.objects.get(pk=booking.pk).state == "awaiting_sign_off"

    as_customer = Client(headers={"accept-language": "de"})
    as_customer.force_login(customer)
    shown = as_customer.get(page).content.decode()
    assert "musst sie nicht erneut aufgeben" in shown
    assert "Besuchspauschale freigeben" in shown  # the sign-off button, for the fee only
    assert as_customer.post(reverse("web:booking_sign_off", args=[booking.pk])).status_code == 302
    assert [p["price_minor"] for p in _settlements()] == [visit_fee]
