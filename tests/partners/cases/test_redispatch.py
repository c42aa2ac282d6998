"""A helper who cancels a partner case's booking hands the job back to dispatch: the case
continues, the partner hears `case.redispatched` (never `case.cancelled`), and the next
helper's booking is announced as usual."""

from __future__ import annotations

import json

import pytest

from quartier.bookings.services import booking_cancel
from quartier.dispatch.models import Dispatch, Invitation
from quartier.dispatch.services import dispatch_wave, invitation_accept
from quartier.dispatch.states import DispatchState
from quartier.jobs.states import RequestState
from tests.factories import make_helper
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
def test_a_helpers_cancellation_redispatches_the_case_without_cancelling_it(receiver):
    setup = setup_partner(receiver.url)
    case = open_case(setup)
    booking = invitation_accept(actor=setup.helper, invitation_id=invite(case).pk)
    second = make_helper(
        email="second@swisstel.example", postcode="8004", skills=["internet-wlan"], radius_km=20
    )
    make_qualified(second, setup.program)

    booking_cancel(actor=setup.helper, booking_id=booking.pk, reason="My van broke down")
    assert set(deliver_due()) == {"succeeded"}

    assert receiver.events() == ["case.created", "case.matched", "case.booked", "case.redispatched"]
    redispatched = json.loads(receiver.received[-1].body)["data"]
    assert redispatched["state"] == "requested"
    assert redispatched["helper"] is None
    case.request.refresh_from_db()
    assert case.request.state == RequestState.REQUESTED
    dispatch = Dispatch.objects.get(request=case.request)
    assert dispatch.state == DispatchState.ACTIVE

    assert dispatch_wave(dispatch_id=dispatch.pk, expected_wave=dispatch.wave) == 1
    invitation = Invitation.objects.get(dispatch=dispatch, helper=second)
    again = invitation_accept(actor=second, invitation_id=invitation.pk)
    assert set(deliver_due()) == {"succeeded"}
    assert receiver.events()[-1] == "case.booked"
    assert "case.cancelled" not in receiver.events()
    assert again.request_id == case.request_id
    assert again.helper_id == second.pk
