"""Fixed-price dispatch: helpers accepting at the same moment book the job exactly once."""

from __future__ import annotations

import pytest

from quartier.bookings.models import Booking, Offer
from quartier.dispatch.models import Dispatch, Invitation
from quartier.dispatch.services import (
    dispatch_first_wave,
    invitation_accept,
    invitation_decline,
)
from quartier.errors import Conflict
from quartier.jobs.models import JobRequest, RequestEvent
from tests.dispatch.conftest import make_crowd, open_counts, race, start_dispatch
from tests.factories import make_customer, make_request


def fixed_price_job(helpers: int) -> tuple[JobRequest, Dispatch, dict[int, object]]:
    crowd = make_crowd(helpers)
    anna = make_customer(email="anna@example.com")
    request = make_request(anna)
    dispatch = start_dispatch(request, mode="fixed_price", fixed_price_minor=12_000)
    assert dispatch_first_wave(request_id=request.pk) == helpers
    return request, dispatch, {h.pk: h for h in crowd}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committing_db")
def test_two_helpers_accepting_at_once_book_the_job_once():
    request, dispatch, helpers = fixed_price_job(2)
    invitations = list(Invitation.objects.filter(dispatch=dispatch))

    outcomes = race(
        *[
            (lambda i=i: invitation_accept(actor=helpers[i.helper_id], invitation_id=i.pk))
            for i in invitations
        ]
    )

    bookings = [o for o in outcomes if isinstance(o, Booking)]
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(bookings) == 1, outcomes
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], Conflict), repr(errors[0])
    assert errors[0].status == 409
    assert errors[0].code == "already_taken"

    winner = bookings[0].helper_id
    assert Booking.objects.filter(request=request).count() == 1
    assert Booking.objects.get().price_minor == 12_000
    assert Offer.objects.filter(request=request).count() == 1  # the loser made no offer
    job = JobRequest.objects.get(pk=request.pk)
    assert job.state == "booked"
    assert job.booked_helper_id == winner
    assert RequestEvent.objects.filter(request=request, to_state="booked").count() == 1
    assert Dispatch.objects.get(pk=dispatch.pk).state == "satisfied"
    assert dict(Invitation.objects.values_list("helper_id", "status")) == {
        pk: ("accepted" if pk == winner else "closed") for pk in helpers
    }
    assert set(open_counts().values()) == {0}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committing_db")
def test_accept_and_decline_at_once_leave_the_counters_right():
    request, dispatch, helpers = fixed_price_job(3)
    first, second, third = Invitation.objects.filter(dispatch=dispatch).order_by("rank")

    outcomes = race(
        lambda: invitation_accept(actor=helpers[first.helper_id], invitation_id=first.pk),
        lambda: invitation_decline(actor=helpers[second.helper_id], invitation_id=second.pk),
        lambda: invitation_decline(actor=helpers[third.helper_id], invitation_id=third.pk),
    )

    assert isinstance(outcomes[0], Booking), outcomes
    statuses = dict(Invitation.objects.values_list("pk", "status"))
    assert statuses[first.pk] == "accepted"
    # A decline that came after the booking finds its invitation closed (409); either way
    # each invitation left "open" exactly once and every counter is back at zero.
    for invitation, outcome in ((second, outcomes[1]), (third, outcomes[2])):
        if isinstance(outcome, Exception):
            assert isinstance(outcome, Conflict), repr(outcome)
            assert statuses[invitation.pk] == "closed"
        else:
            assert statuses[invitation.pk] == "declined"
    assert set(open_counts().values()) == {0}
    assert Booking.objects.filter(request=request).count() == 1
