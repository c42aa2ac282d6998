"""Handing a case back to the partner: by the booked helper (with photos and a diagnosis), or
by the partner; the helper's booking is freed without counting against them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from quartier.bookings.models import Booking
from quartier.dispatch.models import Dispatch, Invitation
from quartier.dispatch.services import invitation_accept
from quartier.errors import Conflict, InvalidInput, NotFound
from quartier.events.outbox import events_deliver
from quartier.partners.cases.escalation import case_escalate, case_escalate_by_helper
from quartier.partners.models import Case, CaseNote, EscalationPhoto, WebhookMessage
from quartier.partners.states import EscalationReason
from tests.factories import make_helper, play_visit
from tests.images import JPEG, PNG
from tests.mail import send_queued_emails
from tests.partners.factories import make_qualified
from tests.partners.test_webhooks_support import (
    PartnerSetup,
    deliver_due,
    invite,
    open_case,
    receiver,
    setup_partner,
    webhook_settings,
)

__all__ = ["receiver", "webhook_settings"]  # fixtures


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def booked_case(setup: PartnerSetup) -> tuple[Case, Booking]:
    case = open_case(setup)
    booking = invitation_accept(actor=setup.helper, invitation_id=invite(case).pk)
    return case, booking


def escalated_payload() -> dict[str, Any]:
    events_deliver()  # the worker writes the webhook after the escalation committed
    message = WebhookMessage.objects.get(event_type="case.escalated")
    data: dict[str, Any] = message.payload["data"]
    return data


@pytest.mark.django_db
def test_the_booked_helper_hands_the_case_to_the_technicians_with_photos(receiver):
    setup = setup_partner(receiver.url)
    case, booking = booked_case(setup)
    play_visit(booking, until="checked_in")
    photos = [
        SimpleUploadedFile("router.jpg", JPEG, content_type="image/jpeg"),
        SimpleUploadedFile("socket.PNG", PNG, content_type="image/png"),
    ]
    mail.outbox.clear()

    case = case_escalate_by_helper(
        actor=setup.helper,
        case_id=case.pk,
        note="The fibre socket is broken; needs a technician.",
        photos=photos,
    )

    assert case.request.state == "escalated"
    assert (case.escalation_reason, case.escalated_at is not None) == ("helper", True)
    booking.refresh_from_db()
    assert booking.cancelled_at is not None
    assert booking.cancelled_by_id is None  # not a commitment the helper broke
    assert booking.cancellation_reason == "escalated to the partner's technicians"
    assert EscalationPhoto.objects.filter(case=case, uploaded_by=setup.helper).count() == 2
    [note] = CaseNote.objects.filter(case=case)
    assert (note.author_kind, note.author_id) == ("helper", setup.helper.pk)
    data = escalated_payload()
    escalation = data["escalation"]
    assert escalation["helper_diagnosis"] == "The fibre socket is broken; needs a technician."
    assert escalation["photo_count"] == 2
    assert [p["name"][-4:].lower() for p in escalation["photos"]] == [".jpg", ".png"]
    assert (escalation["invitations"], escalation["offers"]) == (1, 1)
    assert data["escalation_reason"] == "helper"
    assert data["helper"] == {"first_name": "Hans"}
    deliver_due()
    assert receiver.events()[-1] == "case.escalated"
    body = receiver.received[-1].body.decode()
    assert setup.helper.email not in body


@pytest.mark.django_db
def test_only_the_booked_helper_may_escalate(receiver):
    setup = setup_partner(receiver.url)
    case, _ = booked_case(setup)
    stranger = make_helper(email="other@x.example", skills=["internet-wlan"])
    make_qualified(stranger, setup.program)
    for actor in (stranger, case.request.customer, setup.admin):
        with pytest.raises(NotFound):
            case_escalate_by_helper(actor=actor, case_id=case.pk, note="not mine")
    case.refresh_from_db()
    assert case.escalated_at is None
    assert case.request.state == "booked"
    assert not WebhookMessage.objects.filter(event_type="case.escalated").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("photos", "field"),
    [
        ([SimpleUploadedFile("x.exe", b"MZ" + b"\x00" * 50, content_type="image/jpeg")], "0"),
        ([SimpleUploadedFile("x.jpg", b"MZ" + b"\x00" * 50, content_type="image/jpeg")], "0"),
        ([SimpleUploadedFile("x.jpg", JPEG, content_type="application/pdf")], "0"),
        ([SimpleUploadedFile("x.jpg", JPEG + b"\x00" * (8 * 1024 * 1024), "image/jpeg")], "0"),
    ],
)
def test_photos_must_be_real_images_of_at_most_8_mb(receiver, photos, field):
    setup = setup_partner(receiver.url)
    case, _ = booked_case(setup)
    with pytest.raises(InvalidInput) as refused:
        case_escalate_by_helper(actor=setup.helper, case_id=case.pk, note="see", photos=photos)
    assert f"photos.{field}" in refused.value.errors
    case.refresh_from_db()
    assert (case.escalated_at, case.request.state) == (None, "booked")
    assert not EscalationPhoto.objects.exists()


@pytest.mark.django_db
def test_at_most_five_photos(receiver):
    setup = setup_partner(receiver.url)
    case, _ = booked_case(setup)
    photos = [SimpleUploadedFile(f"{n}.jpg", JPEG, content_type="image/jpeg") for n in range(6)]
    with pytest.raises(InvalidInput):
        case_escalate_by_helper(actor=setup.helper, case_id=case.pk, note="see", photos=photos)
    assert not EscalationPhoto.objects.exists()


@pytest.mark.django_db
def test_the_partner_takes_back_a_case_still_being_dispatched(
    receiver, django_capture_on_commit_callbacks
):
    setup = setup_partner(receiver.url)
    case = open_case(setup)
    invitation = invite(case)

    with django_capture_on_commit_callbacks(execute=True):
        case_escalate(
            case_id=case.pk,
            reason=EscalationReason.PARTNER,
            actor=setup.admin,
            note="VIP customer",
        )

    dispatch = Dispatch.objects.get(request_id=case.request_id)
    assert dispatch.state == "escalated"
    invitation.refresh_from_db()
    assert invitation.status == "expired"  # the helper can no longer accept
    with pytest.raises(Conflict):
        invitation_accept(actor=setup.helper, invitation_id=invitation.pk)
    assert CaseNote.objects.get(case=case).author_kind == "partner"
    assert escalated_payload()["escalation"]["note"] == "VIP customer"
    send_queued_emails()  # through notifications' e-mail task
    [technicians] = [m for m in mail.outbox if m.to == [setup.program.escalation_email]]
    assert "T-1001" in technicians.subject
    assert Invitation.objects.filter(status="open").count() == 0


@pytest.mark.django_db
def test_a_finished_or_escalated_case_cannot_be_escalated(receiver):
    setup = setup_partner(receiver.url)
    case, booking = booked_case(setup)
    play_visit(booking.pk)
    with pytest.raises(Conflict):
        case_escalate(case_id=case.pk, reason=EscalationReason.PARTNER, actor=setup.admin)
    other = open_case(setup, reference="T-2")
    case_escalate(case_id=other.pk, reason=EscalationReason.PARTNER, actor=setup.admin)
    with pytest.raises(Conflict):
        case_escalate(case_id=other.pk, reason=EscalationReason.PARTNER, actor=setup.admin)
    events_deliver()
    escalated = [
        m.payload["data"]["case_id"]
        for m in WebhookMessage.objects.filter(event_type="case.escalated")
    ]
    assert escalated == [other.pk]


@pytest.mark.django_db
def test_couldnt_fix_it_escalates_the_case_with_the_helpers_note(receiver):
    from quartier.bookings.visit import booking_check_out
    from quartier.events.models import DomainEvent

    setup = setup_partner(receiver.url)
    case, booking = booked_case(setup)
    play_visit(booking, until="checked_in")
    booking_check_out(
        actor=setup.helper,
        booking_id=booking.pk,
        outcome="not_fixed",
        note="The fibre socket is broken; needs a technician.",
    )
    events_deliver()  # the not-fixed handler escalates the case...
    data = escalated_payload()  # ...and the next delivery writes its webhook
    case.refresh_from_db()
    assert case.request.state == "escalated"
    assert case.escalation_reason == "helper"
    assert data["escalation"]["note"] == "The fibre socket is broken; needs a technician."
    assert not DomainEvent.objects.filter(kind="job.settled").exists()
    booking.refresh_from_db()
    assert booking.state == "cancelled"
    deliver_due()
    assert receiver.events()[-3:] == ["case.started", "case.not_fixed", "case.escalated"]
