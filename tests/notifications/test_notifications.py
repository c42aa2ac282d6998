"""Notifications: the in-app inbox and e-mails for offers, bookings, cancellations, finished
jobs, invitations and messages, in the recipient's language, respecting their choices."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from quartier.bookings.services import booking_cancel
from quartier.dispatch.services import dispatch_first_wave
from quartier.notifications.models import Notification
from quartier.notifications.services import email_preferences_set
from tests.factories import make_booking, make_helper, make_offer, make_request, play_visit

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = IMMEDIATE


def titles(user):
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_an_offer_reaches_the_customer_in_the_inbox_and_by_email(
    customer, helper, django_capture_on_commit_callbacks
):
    customer.preferred_language = "en"
    customer.save()
    job = make_request(customer)
    with django_capture_on_commit_callbacks(execute=True):
        make_offer(helper, job, price=9000)
    assert titles(customer) == [f"New offer from {helper.first_name}: {job.title}"]
    (email,) = [m for m in mail.outbox if m.to == [customer.email]]
    assert email.subject == f"New offer from {helper.first_name}: {job.title}"
    assert "CHF" in email.body
    assert f"/requests/{job.pk}" in email.body


def test_emails_come_in_the_recipients_language(customer, helper):
    customer.preferred_language = "de"
    customer.save()
    job = make_request(customer)
    make_offer(helper, job)
    assert titles(customer) == [f"Neues Angebot von {helper.first_name}: {job.title}"]


def test_an_opted_out_kind_stays_in_the_inbox_but_sends_no_email(
    customer, helper, django_capture_on_commit_callbacks
):
    email_preferences_set(actor=customer, by_email=["message", "booked"])
    job = make_request(customer)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_offer(helper, job)
    assert callbacks  # the offer's other after-commit work ran; no e-mail was among it
    assert len(titles(customer)) == 1
    assert [m for m in mail.outbox if m.to == [customer.email]] == []


def test_booking_tells_the_helper_and_confirms_the_checkout_to_the_customer(customer, helper):
    booking = make_booking(customer, helper)
    helper_kinds = set(Notification.objects.filter(user=helper).values_list("kind", flat=True))
    assert helper_kinds == {"booked"}
    assert booking.request.title in titles(helper)[0]
    # The customer who booked gets their checkout's confirmation, not the helper's notice.
    (confirmation,) = Notification.objects.filter(user=customer, kind="booked")
    assert confirmation.title == f"Deine Buchung: {booking.request.title}"


def test_cancellation_and_completion_reach_the_other_party(customer, helper):
    booking = make_booking(customer, helper)
    booking_cancel(actor=helper, booking_id=booking.pk, reason="ill")
    assert Notification.objects.filter(user=customer, kind="cancelled").count() == 1
    assert not Notification.objects.filter(user=helper, kind="cancelled").exists()

    second = make_booking(customer, helper, title="Second job")
    play_visit(second.pk)
    # The customer hears of the check-in and the check-out (asked to sign off); the helper
    # of the customer's sign-off.
    told = Notification.objects.filter(user=customer, kind="completed").order_by("pk")
    assert [n.title for n in told] == ["Eingecheckt: Second job", "Bitte bestätigen: Second job"]
    (signed,) = Notification.objects.filter(user=helper, kind="completed")
    assert signed.title == "Bestätigt: Second job"


def test_invited_helpers_hear_about_a_new_request(customer, helper):
    far = make_helper(email="far@example.com", postcode="3011")  # Bern: out of reach
    job = make_request(customer)
    Notification.objects.all().delete()
    dispatch_first_wave(request_id=job.pk)
    assert Notification.objects.filter(user=helper, kind="invitation").count() == 1
    assert not Notification.objects.filter(user=far).exists()


def test_a_rolled_back_change_notifies_nobody(customer, helper):
    job = make_request(customer)

    def offer_then_fail() -> None:
        with transaction.atomic():
            make_offer(helper, job)
            raise RuntimeError("the change fails after the offer")

    with pytest.raises(RuntimeError):
        offer_then_fail()
    assert titles(customer) == []
