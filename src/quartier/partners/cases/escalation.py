"""Handing a case back to the partner's own technicians.

`case_escalate` is the one way a case becomes `escalated`, whoever asks: the booked helper
(`case_escalate_by_helper`: the job needs a technician), the SLA (dispatch deadline, or the
sweep in sla.py), triage (case creation), or the partner taking the case back. In one
transaction it moves the request to `escalated`, stops its dispatch, frees the helper's
booking (never counted against the helper's reliability), stores the helper's photos and
note, and emits `case.escalated` with everything learned so far; the program's escalation
address gets an e-mail after commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.errors import Conflict, NotFound, field_error
from quartier.events import record_event
from quartier.jobs.services import request_transition
from quartier.jobs.states import RequestState
from quartier.notifications.kinds import AddressKind
from quartier.notifications.links import Page, page_url
from quartier.notifications.services import notify_address
from quartier.uploads import PHOTOS, photos_cleaned

from ..models import Case, CaseNote, EscalationPhoto
from ..states import EscalationReason, NoteAuthor

#: Open states a case may be escalated from.
ESCALATABLE = frozenset(
    {RequestState.REQUESTED, RequestState.OFFERED, RequestState.BOOKED, RequestState.IN_PROGRESS}
)
BOOKING_REASON = "escalated to the partner's technicians"
MAX_NOTE = 4000


def photos_check(photos: Sequence[UploadedFile]) -> list[UploadedFile]:
    """Images only (extension, declared type and content agree), at most 5 of 8 MB each;
    returned re-encoded without their metadata."""
    return photos_cleaned(photos, field="photos", rule=PHOTOS)


def _author_kind(reason: EscalationReason, actor: User | None) -> NoteAuthor:
    if reason == EscalationReason.HELPER:
        return NoteAuthor.HELPER
    if actor is not None and actor.is_staff:
        return NoteAuthor.OPERATOR
    if reason == EscalationReason.PARTNER:  # a member, or the partner's API key (no user)
        return NoteAuthor.PARTNER
    return NoteAuthor.SYSTEM


def _stop_dispatch(request_id: int, actor: User | None) -> None:
    """Stop inviting, unless dispatch already stopped (the deadline path escalated it)."""
    from quartier.dispatch.selectors import active_dispatches
    from quartier.dispatch.services import dispatch_escalate

    dispatch_id = active_dispatches().filter(request_id=request_id).values_list("pk", flat=True)
    for pk in dispatch_id[:1]:
        dispatch_escalate(dispatch_id=pk, actor=actor, note="the case was escalated")


def _free_booking(request_id: int, actor: User | None, reason: EscalationReason) -> None:
    """Release the live booking (booked or in progress): the job leaves the crowd."""
    from quartier.bookings.models import CancelledBy
    from quartier.bookings.services import booking_release

    by = {
        NoteAuthor.HELPER: CancelledBy.HELPER,
        NoteAuthor.OPERATOR: CancelledBy.OPERATOR,
        NoteAuthor.PARTNER: CancelledBy.PARTNER,
    }.get(_author_kind(reason, actor), CancelledBy.SYSTEM)
    booking_release(request_id=request_id, by=by, actor=actor, reason=BOOKING_REASON)


def _photo_url(case: Case, photo_id: int) -> str | None:
    """The photo in the partner area: served only to the partner's signed-in members."""
    return page_url(Page.PARTNER_CASE_PHOTO, case.partner.slug, case.pk, photo_id)


def _learned(case: Case) -> dict[str, Any]:
    """What the crowd learned, for the partner's technicians."""
    from quartier.dispatch.models import Invitation
    from quartier.dispatch.selectors import live_offer_count

    notes = [
        {"author": n.author_kind, "text": n.text, "created_at": n.created_at.isoformat()}
        for n in case.notes.order_by("pk")
    ]
    photos = [
        {
            "id": p.pk,
            "name": PurePath(p.image.name).name,
            "url": _photo_url(case, p.pk),
            "uploaded_at": p.created_at.isoformat(),
        }
        for p in case.photos.order_by("pk")
    ]
    helper_notes = [n["text"] for n in notes if n["author"] == NoteAuthor.HELPER]
    return {
        "notes": notes,
        "photos": photos,
        "photo_count": len(photos),
        "invitations": Invitation.objects.filter(dispatch__request_id=case.request_id).count(),
        "offers": live_offer_count(request_id=case.request_id),
        "helper_diagnosis": helper_notes[-1] if helper_notes else None,
    }


def case_escalate(
    *,
    case_id: int,
    reason: EscalationReason,
    actor: User | None,
    note: str = "",
    photos: Sequence[UploadedFile] = (),
) -> Case:
    """Hand the case to the partner's technicians, from any open state (see the module)."""

    reason = EscalationReason(reason)
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise field_error("note", f"At most {MAX_NOTE} characters.")
    photos = photos_check(list(photos))
    with transaction.atomic():
        case = Case.objects.select_related("program", "request").filter(pk=case_id).first()
        if case is None:
            raise NotFound("No such case.")
        if case.escalated_at is not None:
            raise Conflict("This case was escalated already.", code="case_escalated")
        state = case.request.state
        if state not in ESCALATABLE:
            label = RequestState(state).label.lower()
            raise Conflict(f"This case is {label}; it cannot be escalated.", code="case_not_open")
        request_transition(
            request_id=case.request_id,
            source=ESCALATABLE,
            target=RequestState.ESCALATED,
            actor=actor,
            note=f"escalated: {reason.label}"[:200],
        )
        now = timezone.now()
        Case.objects.filter(pk=case.pk, escalated_at__isnull=True).update(
            escalated_at=now, escalation_reason=reason
        )
        _stop_dispatch(case.request_id, actor)
        if state in (RequestState.BOOKED, RequestState.IN_PROGRESS):
            _free_booking(case.request_id, actor, reason)
        for photo in photos:
            EscalationPhoto.objects.create(case=case, image=photo, uploaded_by=actor)
        if note:
            CaseNote.objects.create(
                case=case, author=actor, author_kind=_author_kind(reason, actor), text=note
            )
        case = Case.objects.select_related(
            "partner", "program", "service", "request__booked_helper"
        ).get(pk=case.pk)
        learned = _learned(case)
        # The webhook leaves after the case's earlier events (lifecycle.on_case_event).
        record_event(
            "case.escalated",
            case_id=case.pk,
            request_id=case.request_id,
            escalation=learned | {"note": note},
        )
        _mail_technicians(case, reason, note, learned)
    return case


def case_escalate_by_helper(
    *, actor: User, case_id: int, note: str, photos: Sequence[UploadedFile] = ()
) -> Case:
    """The booked helper asks for a technician, saying what they found (and photos)."""
    case = Case.objects.select_related("request").filter(pk=case_id).first()
    if case is None or case.request.booked_helper_id != actor.pk:
        raise NotFound("No such case.")
    if not note.strip():
        raise field_error("note", "Say what you found, for the technician.")
    return case_escalate(
        case_id=case.pk, reason=EscalationReason.HELPER, actor=actor, note=note, photos=photos
    )


def _mail_technicians(
    case: Case, reason: EscalationReason, note: str, learned: dict[str, Any]
) -> None:
    """E-mail the program's escalation address after commit (through notifications)."""
    notify_address(
        email=case.program.escalation_email,
        language=settings.LANGUAGE_CODE,  # a partner has no language on record (yet)
        kind=AddressKind.CASE_ESCALATED,
        context={
            "reference": case.reference,
            "service": case.service.name,
            "team": case.program.escalation_note,
            "reason": reason.label,
            "note": note,
            "invitations": learned["invitations"],
            "photo_count": learned["photo_count"],
        },
    )
