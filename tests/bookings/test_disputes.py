"""Disputes: either party reports a problem, one open at a time; an operator decides once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from quartier.bookings.disputes import dispute_open, dispute_resolve
from quartier.bookings.models import Dispute
from quartier.errors import Conflict, Forbidden, InvalidInput, NotFound
from quartier.events.models import DomainEvent
from quartier.notifications.models import Notification
from tests.factories import make_booking, make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(customer, helper):
    return make_booking(customer, helper)


@pytest.fixture
def operator(db):
    return make_customer(email="ops@example.com", is_staff=True)


def test_a_customer_reports_a_no_show_and_the_helper_hears_of_it(booking, customer, helper):
    dispute = dispute_open(
        actor=customer, booking_id=booking.pk, reason="no_show", description="Nobody came."
    )
    assert dispute.status == "open"
    assert Notification.objects.filter(user=helper, kind="dispute").count() == 1
    assert not Notification.objects.filter(user=customer, kind="dispute").exists()


def test_one_open_dispute_per_booking(booking, customer, helper):
    dispute_open(actor=customer, booking_id=booking.pk, reason="no_show", description="x")
    with pytest.raises(Conflict) as second:
        dispute_open(actor=helper, booking_id=booking.pk, reason="price", description="y")
    assert second.value.code == "dispute_open"
    assert Dispute.objects.count() == 1


def test_outsiders_and_bad_input_change_nothing(booking):
    stranger = make_customer(email="eve@example.com")
    with pytest.raises(NotFound):
        dispute_open(actor=stranger, booking_id=booking.pk, reason="other", description="x")
    with pytest.raises(InvalidInput) as bad:
        dispute_open(actor=booking.customer, booking_id=booking.pk, reason="x", description="y")
    assert "reason" in bad.value.errors
    with pytest.raises(InvalidInput) as empty:
        dispute_open(actor=booking.customer, booking_id=booking.pk, reason="other", description=" ")
    assert "description" in empty.value.errors
    assert not Dispute.objects.exists()


def test_problems_are_reported_within_14_days_of_the_booking(booking, customer):
    with time_machine.travel(booking.ends_at + timedelta(days=15)), pytest.raises(Conflict):
        dispute_open(actor=customer, booking_id=booking.pk, reason="damage", description="x")
    assert not Dispute.objects.exists()


def test_an_operator_decides_once_and_both_parties_are_told(booking, customer, helper, operator):
    dispute = dispute_open(
        actor=customer, booking_id=booking.pk, reason="poor_quality", description="Crooked."
    )
    with pytest.raises(Forbidden):
        dispute_resolve(actor=helper, dispute_id=dispute.pk, resolution="I win")
    decided = dispute_resolve(
        actor=operator, dispute_id=dispute.pk, resolution="The helper comes back to fix it."
    )
    assert decided.status == "resolved"
    assert decided.resolved_by == operator
    assert Notification.objects.filter(user=customer, kind="dispute").count() == 1
    assert Notification.objects.filter(user=helper, kind="dispute").count() == 2
    with pytest.raises(Conflict):
        dispute_resolve(actor=operator, dispute_id=dispute.pk, resolution="Changed my mind")
    decided.refresh_from_db()
    assert decided.resolution == "The helper comes back to fix it."
    # Once decided, a new problem can be reported.
    dispute_open(actor=helper, booking_id=booking.pk, reason="price", description="Unpaid")


def test_disputes_are_told_as_events_for_money_to_hold_and_release(booking, customer, operator):
    opened = dispute_open(
        actor=customer, booking_id=booking.pk, reason="no_show", description="Nobody came."
    )
    dispute_resolve(actor=operator, dispute_id=opened.pk, resolution="Refund in full.")
    with pytest.raises(Conflict):  # a second decision writes no second event
        dispute_resolve(actor=operator, dispute_id=opened.pk, resolution="Again")

    events = list(
        DomainEvent.objects.filter(kind__startswith="dispute.").values_list("kind", "payload")
    )
    assert [kind for kind, _ in events] == ["dispute.opened", "dispute.resolved"]
    assert events[0][1]["by"] == "customer"
    assert events[0][1]["booking_id"] == booking.pk
    assert events[1][1]["by_user_id"] == operator.pk


def test_a_decision_may_refund_part_of_the_price_and_says_so_in_its_event(
    booking, customer, operator
):
    opened = dispute_open(
        actor=customer, booking_id=booking.pk, reason="price", description="Charged twice."
    )
    decided = dispute_resolve(
        actor=operator, dispute_id=opened.pk, resolution="Half back.", refund_minor=4500
    )
    assert decided.refund_minor == 4500
    payload = DomainEvent.objects.get(kind="dispute.resolved").payload
    assert (payload["booking_id"], payload["refund_minor"]) == (booking.pk, 4500)


@pytest.mark.parametrize("refund", [-1, 9001])
def test_a_refund_beyond_the_price_is_refused_and_decides_nothing(
    booking, customer, operator, refund
):
    opened = dispute_open(
        actor=customer, booking_id=booking.pk, reason="price", description="Charged twice."
    )
    with pytest.raises(InvalidInput) as refusal:
        dispute_resolve(
            actor=operator, dispute_id=opened.pk, resolution="Too much.", refund_minor=refund
        )
    assert "refund_minor" in refusal.value.errors
    opened.refresh_from_db()
    assert (opened.status, opened.refund_minor) == ("open", 0)
    assert not DomainEvent.objects.filter(kind="dispute.resolved").exists()


def test_a_decision_without_a_refund_records_zero(booking, customer, operator):
    opened = dispute_open(
        actor=customer, booking_id=booking.pk, reason="poor_quality", description="Meh."
    )
    dispute_resolve(actor=operator, dispute_id=opened.pk, resolution="The work was fine.")
    assert DomainEvent.objects.get(kind="dispute.resolved").payload["refund_minor"] == 0
