"""Sign-off without an account: a partner's customer signs on the helper's phone, or types a
one-time code e-mailed to the contact address; either settles the job like a sign-off."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from quartier.bookings.models import Booking, BookingMove
from quartier.bookings.on_site import sign_off_code_send, sign_off_on_site
from quartier.bookings.plan_change_models import OnSiteSignOff
from quartier.errors import Conflict, InvalidInput, NotFound, TooManyAttempts
from quartier.events.models import DomainEvent
from tests.factories import make_booking, make_helper, play_visit
from tests.mail import send_queued_emails

pytestmark = pytest.mark.django_db

STROKES = "M10 10 L40 30 L80 20 "


def partner_visit(customer, helper) -> Booking:
    """A partner's job, checked out, its customer without an account to sign off with."""
    booking = make_booking(customer, helper)
    Booking.objects.filter(pk=booking.pk).update(partner_id=7, customer=None)
    return play_visit(booking, until="checked_out")


def test_the_customer_signs_on_the_helpers_phone_and_the_job_is_settled(customer, helper):
    booking = partner_visit(customer, helper)
    with pytest.raises(InvalidInput):
        sign_off_on_site(
            actor=helper, booking_id=booking.pk, method="signature", signer_name="Anna"
        )
    done = sign_off_on_site(
        actor=helper,
        booking_id=booking.pk,
        method="signature",
        signer_name="Anna Muster",
        signature=STROKES,
    )
    assert done.state == "completed"
    assert done.request.state == "completed"
    row = OnSiteSignOff.objects.get(pk=booking.pk)
    assert (row.method, row.signer_name, row.signature) == ("signature", "Anna Muster", STROKES)
    assert DomainEvent.objects.filter(kind="job.settled").count() == 1
    move = BookingMove.objects.filter(booking=booking).last()
    assert move.reason == "signed off on site by Anna Muster (signature)"


def test_a_one_time_code_by_e_mail_signs_off_and_wrong_codes_are_counted(
    customer, helper, django_capture_on_commit_callbacks
):
    booking = partner_visit(customer, helper)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sign_off_code_send(actor=helper, booking_id=booking.pk)
    send_queued_emails()
    (message,) = mail.outbox
    assert message.to == [customer.email]
    code = re.search(r"\b(\d{6})\b", message.body).group(1)
    assert code not in OnSiteSignOff.objects.get(pk=booking.pk).code_hash
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(InvalidInput):
        sign_off_on_site(
            actor=helper, booking_id=booking.pk, method="code", signer_name="Anna", code=wrong
        )
    assert OnSiteSignOff.objects.get(pk=booking.pk).code_attempts == 1
    assert Booking.objects.get(pk=booking.pk).state == "awaiting_sign_off"
    done = sign_off_on_site(
        actor=helper, booking_id=booking.pk, method="code", signer_name="Anna", code=code
    )
    assert done.state == "completed"


def test_a_code_expires_after_15_minutes_or_5_tries(customer, helper):
    booking = partner_visit(customer, helper)
    sign_off_code_send(actor=helper, booking_id=booking.pk)
    for _ in range(5):
        with pytest.raises(InvalidInput):
            sign_off_on_site(
                actor=helper, booking_id=booking.pk, method="code", signer_name="A", code="x"
            )
    with pytest.raises(TooManyAttempts):
        sign_off_on_site(
            actor=helper, booking_id=booking.pk, method="code", signer_name="A", code="x"
        )
    sign_off_code_send(actor=helper, booking_id=booking.pk)  # a new code, new tries
    with (
        time_machine.travel(timezone.now() + timedelta(minutes=16)),
        pytest.raises(TooManyAttempts),
    ):
        sign_off_on_site(
            actor=helper, booking_id=booking.pk, method="code", signer_name="A", code="x"
        )
    assert Booking.objects.get(pk=booking.pk).state == "awaiting_sign_off"


def test_only_the_helper_of_a_partners_job_awaiting_sign_off_hands_over_the_phone(customer, helper):
    own = play_visit(make_booking(customer, helper), until="checked_out")
    with pytest.raises(Conflict):  # the customer has an account: they sign off there
        sign_off_code_send(actor=helper, booking_id=own.pk)
    booking = partner_visit(customer, make_helper(email="otto@example.com"))
    with pytest.raises(NotFound):  # another helper's visit
        sign_off_code_send(actor=helper, booking_id=booking.pk)
    assert not OnSiteSignOff.objects.exists()
