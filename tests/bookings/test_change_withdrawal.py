"""A change agreed at a German consumer's home with a trader is an off-premises contract:
the withdrawal notice names the helper, approval needs both declarations, and a confirmation
goes out by e-mail. Urgent-repair work the customer asked for has no withdrawal right."""

from __future__ import annotations

import pytest
from django.core import mail

from quartier.bookings.change_models import VisitChange
from quartier.jobs.models import JobRequest
from quartier.payments.models import PayoutProfile
from tests.factories import play_visit
from tests.invoicing.helpers import job, payout_profile

pytestmark = pytest.mark.django_db

EXTRA = {"kind": "labour", "label": "Wandhalterung montieren", "unit_minor": 4900, "vat_rate": 0}


def berlin_visit(vat_status: str | None = "de_small", **request_fields):
    booking = job("DE")  # customer Clara Kundin (German), helper in Berlin
    if vat_status:
        payout_profile(booking.helper, vat_status)
    if request_fields:
        JobRequest.objects.filter(pk=booking.request_id).update(**request_fields)
    return play_visit(booking, until="checked_in")


def test_a_kleinunternehmer_change_shows_the_notice_naming_the_helper(api_as):
    booking = berlin_visit("de_small")
    change = api_as(booking.helper).post(f"/bookings/{booking.pk}/changes", EXTRA)
    assert change.status_code == 201, change.data
    withdrawal = change.data["withdrawal"]
    assert withdrawal["trader_name"] == "Bernd Beispiel"
    assert withdrawal["trader_address"] == "Invalidenstraße 117, 10115 Berlin"
    assert withdrawal["trader_email"] == booking.helper.email
    assert "Bernd Beispiel" in withdrawal["notice"]
    assert "14 days" in withdrawal["notice"]
    assert "Model withdrawal form" in withdrawal["notice"]
    assert "before the withdrawal period ends" in withdrawal["early_start_text"]
    assert "fully performed" in withdrawal["loss_text"]
    seen = api_as(booking.customer).get(f"/bookings/{booking.pk}/changes").data
    assert seen[0]["withdrawal"]["trader_name"] == "Bernd Beispiel"


def test_approval_needs_both_boxes_then_records_them_and_confirms_by_email(
    api_as, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    booking = berlin_visit("de_regular")
    customer = booking.customer
    change_id = api_as(booking.helper).post(f"/bookings/{booking.pk}/changes", EXTRA).data["id"]
    url = f"/bookings/{booking.pk}/changes/{change_id}/approve"

    unticked = api_as(customer).post(url, {})
    assert unticked.status_code == 422
    assert unticked.data["code"] == "consent_missing"
    assert set(unticked.data["errors"]) == {"early_start", "loss_acknowledged"}
    one = api_as(customer).post(url, {"early_start": True})
    assert set(one.data["errors"]) == {"loss_acknowledged"}
    assert VisitChange.objects.get().status == "proposed"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approved = api_as(customer).post(url, {"early_start": True, "loss_acknowledged": True})
    assert approved.status_code == 200, approved.data
    change = VisitChange.objects.get()
    assert change.status == "approved"
    assert change.early_start_requested_at == change.decided_at
    assert change.loss_acknowledged_at == change.decided_at
    assert change.notice_version
    [confirmation] = [m for m in mail.outbox if m.to == [customer.email]]
    body = confirmation.body
    assert "Wandhalterung montieren" in body
    assert "49,00" in body
    assert "Widerrufsrecht" in body  # in the customer's language
    assert "Bernd Beispiel, Invalidenstraße 117, 10115 Berlin" in body
    assert "vor Ablauf der Widerrufsfrist" in body  # the early-start declaration
    assert "vollständig" in body  # ... and the acknowledgement


@pytest.mark.parametrize(
    ("vat_status", "kind", "withdrawal"),
    [
        ("de_private", "private", False),  # not an entrepreneur: no consumer contract
        ("de_private", "business", False),  # declared no entrepreneur for VAT: private
        (None, "business", True),  # a business by declaration, VAT status not given yet
        ("de_regular", "private", True),  # an entrepreneur for VAT is a trader
    ],
)
def test_only_a_trader_gives_a_right_of_withdrawal(api_as, vat_status, kind, withdrawal):
    booking = berlin_visit(None)
    PayoutProfile.objects.create(
        user=booking.helper, provider_kind=kind, vat_status=vat_status or ""
    )
    change = api_as(booking.helper).post(f"/bookings/{booking.pk}/changes", EXTRA).data
    assert (change["withdrawal"] is not None) is withdrawal


def test_a_private_helpers_change_is_approved_without_boxes(api_as):
    booking = berlin_visit(None)  # no profile, no pro: a private person
    change_id = api_as(booking.helper).post(f"/bookings/{booking.pk}/changes", EXTRA).data["id"]
    done = api_as(booking.customer).post(f"/bookings/{booking.pk}/changes/{change_id}/approve")
    assert done.status_code == 200, done.data
    assert done.data["withdrawal"] is None


def test_urgent_repair_work_the_customer_asked_for_has_no_withdrawal_right(api_as):
    booking = berlin_visit("de_small", urgent=True)
    helper = api_as(booking.helper)
    repair = helper.post(f"/bookings/{booking.pk}/changes", {**EXTRA, "urgent_repair": True})
    assert repair.status_code == 201, repair.data
    assert repair.data["urgent_repair"] is True
    assert repair.data["withdrawal"] is None
    # Other work on the same urgent visit keeps the right (§ 312g Abs. 2 Nr. 11 BGB).
    extra = helper.post(f"/bookings/{booking.pk}/changes", {**EXTRA, "label": "Regal"}).data
    assert extra["withdrawal"] is not None


def test_a_customer_may_ask_for_an_urgent_repair_when_posting(api_as, customer):
    from tests.factories import window

    start, end = window()
    body = {
        "skill": "tv-set-top-box",
        "title": "Wasser tropft",
        "country": "CH",
        "postcode": "8004",
        "street_address": "Badenerstrasse 12",
        "window_start": start.isoformat(),
        "window_end": end.isoformat(),
        "urgent": True,
    }
    posted = api_as(customer).post("/requests", body)
    assert posted.status_code == 201, posted.data
    assert posted.data["urgent"] is True
    assert JobRequest.objects.get(pk=posted.data["id"]).urgent is True
