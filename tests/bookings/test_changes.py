"""Changes during the visit: the helper proposes price lines while checked in, the customer
approves or rejects each; only approved lines reach the sign-off's invoice and ledger."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail

from quartier.bookings.change_models import VisitChange
from quartier.bookings.models import Booking, PriceLine
from quartier.bookings.services import offer_accept, offer_create
from quartier.events.models import DomainEvent
from quartier.events.outbox import events_deliver
from quartier.invoicing.models import Invoice
from quartier.notifications.models import Notification
from quartier.payments import chart
from quartier.payments.balances import account_balance
from tests.factories import arrive, make_booking, make_request, play_visit, sign_off
from tests.invoicing.helpers import payout_profile

pytestmark = pytest.mark.django_db

CABLE = {"kind": "material", "label": "HDMI cable", "quantity": "2", "unit_minor": 1500}
HOUR = {"kind": "labour", "label": "Mount the soundbar too", "quantity": 1, "unit_minor": 6000}


def propose(api, booking, body=CABLE):
    return api.post(f"/bookings/{booking.pk}/changes", body)


def answer(api, booking, change_id, verb="approve", body=None):
    return api.post(f"/bookings/{booking.pk}/changes/{change_id}/{verb}", body or {})


def test_only_approved_changes_reach_the_invoice_and_the_ledger(api_as, customer, helper):
    payout_profile(helper, "ch_unregistered")
    booking = play_visit(make_booking(customer, helper), until="checked_in")
    approved = propose(api_as(helper), booking, CABLE)
    assert approved.status_code == 201, approved.data
    assert approved.data["status"] == "proposed"
    assert approved.data["line"]["total_minor"] == 3000
    assert approved.data["withdrawal"] is None  # Switzerland
    rejected = propose(api_as(helper), booking, HOUR).data
    lapsing = propose(api_as(helper), booking, {**HOUR, "label": "Tidy the cables"}).data
    assert Booking.objects.get(pk=booking.pk).price_minor == 9000  # nothing added yet

    done = answer(api_as(customer), booking, approved.data["id"])
    assert done.status_code == 200, done.data
    assert done.data["status"] == "approved"
    assert answer(api_as(customer), booking, rejected["id"], "reject").data["status"] == "rejected"
    assert Booking.objects.get(pk=booking.pk).price_minor == 12000

    play_visit_on(booking)
    statuses = dict(VisitChange.objects.values_list("label", "status"))
    assert statuses == {
        "HDMI cable": "approved",
        "Mount the soundbar too": "rejected",
        "Tidy the cables": "lapsed",
    }
    settled = DomainEvent.objects.get(kind="job.settled").payload
    assert settled["price_minor"] == 12000
    assert [line["label"] for line in settled["lines"]][1:] == ["HDMI cable"]
    events_deliver()
    invoice = Invoice.objects.get(kind="customer_invoice")
    assert invoice.total_minor == 12000
    labels = [line["label"] for line in invoice.snapshot["lines"]]
    assert "HDMI cable" in labels
    assert lapsing["line"]["label"] not in labels
    assert rejected["line"]["label"] not in labels
    assert account_balance(chart.helper_jobs_gross(helper.pk, "CHF").code) == -12000


def play_visit_on(booking):
    """Check out (fixed) and sign off a booking already checked in."""
    from quartier.bookings.visit import booking_check_out

    booking_check_out(actor=booking.helper, booking_id=booking.pk)
    return sign_off(booking)


@pytest.mark.parametrize("until", ["booked", "checked_out", "signed_off"])
def test_changes_belong_to_the_visit_only(api_as, customer, helper, until):
    booking = make_booking(customer, helper)
    if until != "booked":
        play_visit(booking, until=until)
    refused = propose(api_as(helper), booking)
    assert refused.status_code == 409
    assert refused.data["code"] == "illegal_state"
    assert not VisitChange.objects.exists()


def test_a_proposal_open_at_check_out_lapses_unbilled_and_the_customer_is_told(
    api_as, customer, helper
):
    booking = play_visit(make_booking(customer, helper), until="checked_in")
    change = propose(api_as(helper), booking).data
    play_visit_on(booking)
    late = answer(api_as(customer), booking, change["id"])
    assert late.status_code == 409
    listed = api_as(customer).get(f"/bookings/{booking.pk}/changes").data
    assert [c["status"] for c in listed] == ["lapsed"]
    assert Booking.objects.get(pk=booking.pk).price_minor == 9000
    assert DomainEvent.objects.filter(kind="booking.change_lapsed").count() == 1
    told = Notification.objects.filter(user=customer).order_by("pk")
    assert any(n.title.startswith("Änderung nicht berechnet") for n in told)


def test_who_may_propose_and_answer(api_as, anon, customer, helper):
    from tests.factories import make_customer

    booking = play_visit(make_booking(customer, helper), until="checked_in")
    stranger = make_customer(email="eve@example.com")
    operator = make_customer(email="ops@quartier.example", is_staff=True)
    assert propose(api_as(customer), booking).status_code == 403
    assert propose(api_as(operator), booking).status_code == 403
    assert propose(api_as(stranger), booking).status_code == 404
    assert propose(anon, booking).status_code == 401
    change = propose(api_as(helper), booking).data
    for actor, status in ((helper, 403), (operator, 403), (stranger, 404)):
        assert answer(api_as(actor), booking, change["id"]).status_code == status
        assert answer(api_as(actor), booking, change["id"], "reject").status_code == status
    assert api_as(stranger).get(f"/bookings/{booking.pk}/changes").status_code == 404
    assert answer(api_as(customer), booking, 999999).status_code == 404
    assert answer(api_as(customer), booking, change["id"]).status_code == 200
    twice = answer(api_as(customer), booking, change["id"], "reject")
    assert twice.status_code == 409
    assert twice.data["code"] == "change_answered"
    assert VisitChange.objects.get().status == "approved"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**CABLE, "kind": "bribe"}, "kind"),
        ({**CABLE, "quantity": "0"}, "quantity"),
        ({**CABLE, "quantity": "1.0005"}, "quantity"),
        ({**CABLE, "vat_rate": "19"}, "vat_rate"),  # a German rate on a Swiss job
        ({**CABLE, "unit_minor": -5}, "unit_minor"),
        ({**CABLE, "unit_minor": 0}, "unit_minor"),
        ({**CABLE, "label": " "}, "label"),
        ({**CABLE, "unit_minor": 10_000_000}, "unit_minor"),
        ({**CABLE, "note": "x" * 501}, "note"),
        ({**CABLE, "urgent_repair": True}, "urgent_repair"),  # the request is not urgent
    ],
)
def test_a_bad_proposal_is_a_field_error_and_stores_nothing(api_as, customer, helper, body, field):
    booking = play_visit(make_booking(customer, helper), until="checked_in")
    refused = propose(api_as(helper), booking, body)
    assert refused.status_code == 422, refused.data
    assert refused["Content-Type"] == "application/problem+json"
    assert field in refused.data["errors"]
    assert not VisitChange.objects.exists()
    assert not Notification.objects.filter(user=customer, title__contains="change").exists()


def test_an_hourly_job_bills_time_by_the_clock_and_takes_material(api_as, customer, helper):
    request = make_request(customer)
    offer = offer_create(
        actor=helper,
        request_id=request.pk,
        price_minor=None,
        proposed_start=request.window_start,
        proposed_end=request.window_end,
        terms=_hourly_terms(),
    )
    booking = arrive(offer_accept(actor=customer, offer_id=offer.pk))
    play_visit(booking, until="checked_in")
    labour = propose(api_as(helper), booking, HOUR)
    assert labour.status_code == 422
    assert labour.data["errors"]["kind"]
    change = propose(api_as(helper), booking, CABLE).data
    answer(api_as(customer), booking, change["id"])
    play_visit_on(booking)
    lines = list(PriceLine.objects.filter(offer=offer).values_list("kind", "total_minor"))
    assert lines == [("labour", 1125), ("material", 3000)]  # one started 15-minute unit
    assert Booking.objects.get(pk=booking.pk).price_minor == 4125


def _hourly_terms():
    from quartier.bookings.offer_terms import OfferTerms

    return OfferTerms(pricing="hourly", hourly_rate_minor=4500, estimated_hours=Decimal(2))


def test_the_customer_is_asked_in_their_language_and_the_helper_told_the_answer(
    api_as, customer, helper
):
    customer.preferred_language = "de"
    customer.save()
    helper.preferred_language = "en"
    helper.save()
    booking = play_visit(make_booking(customer, helper), until="checked_in")
    change = propose(api_as(helper), booking).data
    asked = Notification.objects.filter(user=customer).latest("pk")
    assert asked.title.startswith("Bitte freigeben oder ablehnen")
    answer(api_as(customer), booking, change["id"], "reject")
    told = Notification.objects.filter(user=helper).latest("pk")
    assert told.title == "Change rejected: TV box shows no picture"
    kinds = list(
        DomainEvent.objects.filter(kind__startswith="booking.change").values_list(
            "kind", "payload__by_user_id"
        )
    )
    assert kinds == [
        ("booking.change_proposed", helper.pk),
        ("booking.change_rejected", customer.pk),
    ]


def test_every_approval_is_confirmed_to_the_customer_by_email(
    api_as, customer, helper, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    booking = play_visit(make_booking(customer, helper), until="checked_in")
    change = propose(api_as(helper), booking).data
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer(api_as(customer), booking, change["id"])
    [confirmation] = [m for m in mail.outbox if m.to == [customer.email]]
    assert "HDMI cable: 2 \u00d7 15,00\xa0CHF = 30,00\xa0CHF" in confirmation.body
    assert "120,00" in confirmation.body  # the new price
    assert "Widerruf" not in confirmation.body  # no right of withdrawal in Switzerland


def test_changes_are_in_the_data_export_and_the_helpers_note_goes_with_the_account(
    api_as, customer, helper
):
    from quartier.bookings import personal_data

    booking = play_visit(make_booking(customer, helper), until="checked_in")
    propose(api_as(helper), booking, {**CABLE, "note": "The old one is broken."})
    [exported] = personal_data.export(customer.pk)["changes_during_visits"]
    assert (exported["label"], exported["status"]) == ("HDMI cable", "proposed")
    personal_data.erase(helper.pk)
    assert VisitChange.objects.get().note == ""


def test_open_changes_end_with_a_booking_released_to_the_partners_technicians(
    api_as, customer, helper
):
    from quartier.bookings.models import CancelledBy
    from quartier.bookings.services import booking_release

    booking = play_visit(make_booking(customer, helper), until="checked_in")
    propose(api_as(helper), booking)
    booking_release(
        request_id=booking.request_id, by=CancelledBy.PARTNER, actor=None, reason="escalated"
    )
    assert VisitChange.objects.get().status == "lapsed"
    assert Booking.objects.get(pk=booking.pk).price_minor == 9000
