"""A helper's cancellation never cancels the customer's request: it goes back to dispatch,
the waves restart, and the cancellation counts against the helper's reliability."""

from __future__ import annotations

import pytest
from django.core import mail

from quartier.bookings.services import booking_cancel
from quartier.dispatch.models import Dispatch, DispatchEvent
from quartier.dispatch.redispatch import dispatch_reopen
from quartier.dispatch.services import dispatch_sync, dispatch_wave
from quartier.dispatch.states import DispatchState
from quartier.events.outbox import events_deliver
from quartier.jobs.states import RequestState
from tests.factories import make_booking

pytestmark = pytest.mark.django_db


def test_a_helpers_cancellation_sends_the_request_back_to_dispatch(customer, helper):
    booking = make_booking(customer, helper)
    dispatch_sync(request_id=booking.request_id)  # what the booking's commit does
    dispatch = Dispatch.objects.get(request_id=booking.request_id)
    assert dispatch.state == DispatchState.SATISFIED

    booking_cancel(actor=helper, booking_id=booking.pk, reason="Ill")
    events_deliver()

    booking.refresh_from_db()
    booking.request.refresh_from_db()
    dispatch.refresh_from_db()
    assert booking.state == "cancelled"
    assert booking.cancelled_by == helper
    assert booking.request.state == RequestState.REQUESTED
    assert booking.request.booked_helper_id is None
    assert dispatch.state == DispatchState.ACTIVE
    assert dispatch.next_wave_at is not None
    assert DispatchEvent.objects.filter(dispatch=dispatch, kind="redispatched").count() == 1
    assert booking.offer.status == "withdrawn"  # no longer an offer in hand


def test_a_cancelled_request_is_not_reopened(customer, helper):
    booking = make_booking(customer, helper)
    booking_cancel(actor=customer, booking_id=booking.pk, reason="Fixed it myself")
    assert dispatch_reopen(request_id=booking.request_id) is None


def test_a_customers_cancellation_still_cancels_the_request(customer, helper):
    booking = make_booking(customer, helper)
    dispatch_sync(request_id=booking.request_id)
    booking_cancel(actor=customer, booking_id=booking.pk, reason="Fixed it myself")
    events_deliver()
    booking.request.refresh_from_db()
    assert booking.request.state == RequestState.CANCELLED
    dispatch = Dispatch.objects.get(request_id=booking.request_id)
    assert dispatch.state == DispatchState.SATISFIED


def test_the_cancelling_helper_is_not_invited_again(customer, helper):
    booking = make_booking(customer, helper)
    booking_cancel(actor=helper, booking_id=booking.pk, reason="Ill")
    events_deliver()
    dispatch = Dispatch.objects.get(request_id=booking.request_id)
    dispatch_wave(dispatch_id=dispatch.pk, expected_wave=dispatch.wave)
    assert not dispatch.invitations.filter(helper=helper).exists()


def test_the_customer_is_told_another_helper_is_being_found(
    customer, helper, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    booking = make_booking(customer, helper)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(actor=helper, booking_id=booking.pk, reason="Ill")
    (email,) = [m for m in mail.outbox if m.to == [customer.email]]
    assert "Wir suchen für dich eine andere Helferin oder einen anderen Helfer" in email.body
