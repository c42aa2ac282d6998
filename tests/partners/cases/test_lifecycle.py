"""A partner case played through by its people: the partner's server receives every case
event, in order, exactly once, with the case's data and never the helper's contact details."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from standardwebhooks import Webhook

from quartier.dispatch.services import dispatch_wave, invitation_accept
from quartier.events.outbox import events_deliver
from quartier.partners.cases.services import case_cancel
from quartier.partners.models import Case, WebhookMessage
from quartier.reviews.services import review_create
from tests.factories import make_helper, play_visit
from tests.partners.factories import make_qualified
from tests.partners.test_webhooks_support import (
    deliver_due,
    invite,
    open_case,
    receiver,
    setup_partner,
    webhook_settings,
)

__all__ = ["receiver", "webhook_settings"]  # fixtures


@pytest.mark.django_db
def test_a_case_played_through_sends_each_event_once_in_order(receiver):
    setup = setup_partner(receiver.url)
    case = open_case(setup)
    invitation = invite(case)
    booking = invitation_accept(actor=setup.helper, invitation_id=invitation.pk)
    play_visit(booking.pk)
    customer = case.request.customer
    review_create(actor=customer, booking_id=booking.pk, rating=4, text="Friendly and quick.")
    review_create(actor=setup.helper, booking_id=booking.pk, rating=5)  # closes the booking

    assert set(deliver_due()) == {"succeeded"}

    assert receiver.events() == [
        "case.created",
        "case.matched",
        "case.booked",
        "case.started",
        "case.checked_out",
        "case.completed",
        "case.rated",
    ]
    payloads = [Webhook(setup.endpoint.secret).verify(r.body, r.headers) for r in receiver.received]
    data = {p["type"]: p["data"] for p in payloads}
    assert {d["case_id"] for d in data.values()} == {case.pk}
    assert {d["reference"] for d in data.values()} == {"T-1001"}
    assert data["case.created"]["sla_status"] == "on_track"
    assert data["case.created"]["helper"] is None
    assert data["case.matched"]["invited"] == 1
    assert data["case.booked"]["state"] == "booked"
    assert data["case.booked"]["helper"] == {"first_name": "Hans"}
    assert data["case.booked"]["first_offer_at"] is not None
    assert data["case.checked_out"]["state"] == "awaiting_sign_off"
    assert data["case.completed"]["completed_at"] is not None
    assert data["case.completed"]["sla_status"] == "met"
    assert data["case.rated"]["rating"] == 4
    bodies = b"".join(r.body for r in receiver.received).decode()
    for private in (setup.helper.email, "Friendly and quick", "Meier"):
        assert private not in bodies
    case.refresh_from_db()
    assert case.first_offer_at is not None


@pytest.mark.django_db
def test_later_waves_do_not_announce_the_match_again(receiver):
    setup = setup_partner(receiver.url)
    for n in range(6):  # more qualified helpers than the first wave invites
        make_qualified(
            make_helper(email=f"h{n}@x.example", postcode="8004", skills=["internet-wlan"]),
            setup.program,
        )
    case = open_case(setup)
    invite_first = case.request_id
    from quartier.dispatch.services import dispatch_first_wave

    dispatch_first_wave(request_id=invite_first)
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        dispatch_id = case.request.dispatch.pk
        assert dispatch_wave(dispatch_id=dispatch_id, expected_wave=1) > 0
    events_deliver()
    types = list(WebhookMessage.objects.filter(case=case).values_list("event_type", flat=True))
    assert sorted(types) == ["case.created", "case.matched"]


@pytest.mark.django_db
def test_a_cancelled_case_is_announced_once(receiver):
    setup = setup_partner(receiver.url)
    case = open_case(setup)
    case_cancel(partner=setup.partner, case_id=case.pk, reason="Solved by phone")
    deliver_due()
    assert receiver.events() == ["case.created", "case.cancelled"]
    cancelled = json.loads(receiver.received[-1].body)["data"]
    assert cancelled["state"] == "cancelled"
    assert cancelled["sla_status"] == "met"


@pytest.mark.django_db
def test_public_requests_send_no_webhooks(receiver, customer, helper):
    setup_partner(receiver.url)
    from tests.factories import make_booking

    booking = make_booking(customer, helper)
    play_visit(booking, until="checked_in")
    assert not WebhookMessage.objects.exists()
    assert not Case.objects.exists()
