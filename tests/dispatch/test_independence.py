"""Helpers are independent contractors: ignoring an invitation costs them nothing — not
their rank, not their score, not their next invitation (compliance issue's guardrails;
declining is covered in test_waves.py) — and neither do the steps before a visit they miss."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from quartier.accounts.models import HelperProfile, User
from quartier.bookings.before_visit import before_visit_tick
from quartier.bookings.plan_models import BookingReminder, CareLine
from quartier.bookings.replacement import booking_another_helper
from quartier.bookings.services import offer_accept
from quartier.dispatch.models import Invitation
from quartier.dispatch.services import dispatch_tick
from quartier.events.outbox import events_deliver
from quartier.jobs.services import request_cancel
from quartier.matching.engine import rank
from quartier.matching.models import MatchIndex
from quartier.matching.selectors import request_query
from quartier.matching.services import match_index_refresh
from tests.dispatch.conftest import start_dispatch
from tests.factories import make_customer, make_offer, make_request

pytestmark = pytest.mark.django_db


def test_ignoring_an_invitation_never_lowers_rank_score_or_the_next_invitation(anna, crowd_of):
    crowd_of(8)
    first = make_request(anna, postcode="8004")
    dispatch = start_dispatch(first)
    dispatch_tick()
    ignorer_id = Invitation.objects.filter(dispatch=dispatch).order_by("rank")[0].helper_id
    following = make_request(anna, postcode="8004", title="Another TV box")

    def standing() -> list[tuple[int, float]]:
        return [(c.helper_id, round(c.score, 9)) for c in rank(request_query(following, limit=8))]

    def index_row() -> list[tuple[float, float]]:
        rows = MatchIndex.objects.filter(helper_id=ignorer_id)
        return sorted(rows.values_list("reliability", "quality"))

    before, row_before = standing(), index_row()
    request_cancel(actor=anna, request_id=first.pk)  # the invitation closes unanswered
    dispatch_tick()
    assert Invitation.objects.get(dispatch=dispatch, helper_id=ignorer_id).status != "pending"

    assert standing() == before
    assert index_row() == row_before
    next_dispatch = start_dispatch(following)
    dispatch_tick()
    position = [h for h, _ in before].index(ignorer_id) + 1
    assert Invitation.objects.get(dispatch=next_dispatch, helper_id=ignorer_id).rank == position


def test_missed_contact_confirmation_and_on_my_way_never_change_the_helpers_standing(
    anna, crowd_of
):
    """The timers before the visit are tools and information, never discipline: a helper who
    never ticks off the contact, never confirms, never taps "on my way" — reminded, a care
    line opened, and the customer asking for another helper — keeps rank, score, match-index
    row, profile and their next invitation."""
    crowd_of(8)
    following = make_request(anna, postcode="8004", title="Another TV box")

    def standing() -> list[tuple[int, float]]:
        return [(c.helper_id, round(c.score, 9)) for c in rank(request_query(following, limit=8))]

    before = standing()
    missed_id = before[0][0]
    helper = User.objects.get(pk=missed_id)
    customer = make_customer(email="otto@example.com")
    booking = offer_accept(
        actor=customer, offer_id=make_offer(helper, make_request(customer, days=6)).pk
    )
    before, row_before = standing(), _index_row(missed_id)
    profile_before = _profile(missed_id)

    for moment in (
        booking.created_at + timedelta(hours=13),  # the contact reminder
        booking.starts_at - timedelta(hours=23),  # asked to confirm
        booking.starts_at - timedelta(hours=11),  # unconfirmed: the care line
    ):
        with time_machine.travel(moment, tick=False):
            before_visit_tick()
    with time_machine.travel(booking.starts_at - timedelta(hours=10), tick=False):
        booking_another_helper(actor=customer, booking_id=booking.pk)
    assert BookingReminder.objects.filter(booking=booking).count() == 4
    assert CareLine.objects.filter(booking=booking).exists()
    events_deliver()
    match_index_refresh(helper_id=missed_id)

    assert standing() == before
    assert _index_row(missed_id) == row_before
    assert _profile(missed_id) == profile_before
    next_dispatch = start_dispatch(following)
    dispatch_tick()
    position = [h for h, _ in before].index(missed_id) + 1
    assert Invitation.objects.get(dispatch=next_dispatch, helper_id=missed_id).rank == position


def _index_row(helper_id: int) -> list[tuple[float, float]]:
    rows = MatchIndex.objects.filter(helper_id=helper_id)
    return sorted(rows.values_list("reliability", "quality"))


def _profile(helper_id: int) -> dict[str, object]:
    values = HelperProfile.objects.filter(user_id=helper_id).values().get()
    values.pop("updated_at", None)
    return values
