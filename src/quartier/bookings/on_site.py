"""Sign-off without an account: a partner's customer signs off the visit on the helper's
phone — with a drawn signature and their name, or with a one-time code e-mailed to the
contact address the partner gave. Either settles the job like the customer's own sign-off.

Only for a partner's job (the partner's customer may never have used Quartier) awaiting
sign-off, and only by the booked helper, on the spot. A code is 6 digits, valid 15 minutes,
5 tries; only its keyed hash is stored. The signature is kept as the drawing's SVG path data
(at most 200,000 characters), with the name typed beside it and the time.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from quartier.accounts.models import User
from quartier.errors import Conflict, Forbidden, TooManyAttempts, field_error
from quartier.events import record_event
from quartier.notifications.kinds import AddressKind
from quartier.notifications.services import notify_address

from .models import Booking
from .plan_change_models import OnSiteMethod, OnSiteSignOff
from .selectors import get_booking_for
from .states import BookingState
from .visit import sign_off_as

CODE_VALID = timedelta(minutes=15)
CODE_TRIES = 5
MAX_SIGNATURE = 200_000
_SALT = "quartier.bookings.on_site"


def _code_hash(booking_id: int, code: str) -> str:
    return salted_hmac(_SALT, f"{booking_id}:{code}").hexdigest()


def _on_site_check(actor: User, booking_id: int) -> Booking:
    booking = get_booking_for(actor, booking_id)
    if actor.pk != booking.helper_id:
        raise Forbidden("Only the booked helper hands their phone over.", code="wrong_party")
    if booking.partner_id is None:
        raise Conflict("The customer signs off in their own account.", code="own_account_sign_off")
    if booking.state != BookingState.AWAITING_SIGN_OFF:
        raise Conflict("This visit is not waiting for a sign-off.", code="illegal_state")
    return booking


def sign_off_code_send(*, actor: User, booking_id: int) -> OnSiteSignOff:
    """E-mail a fresh one-time code to the case's contact address (the last code counts)."""
    booking = _on_site_check(actor, booking_id)
    contact = booking.request.contact
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        OnSiteSignOff.objects.bulk_create([OnSiteSignOff(booking=booking)], ignore_conflicts=True)
        OnSiteSignOff.objects.filter(pk=booking.pk).update(
            code_hash=_code_hash(booking.pk, code), code_sent_at=timezone.now(), code_attempts=0
        )
        notify_address(
            email=contact.email,
            language=getattr(contact, "preferred_language", "") or "de",
            kind=AddressKind.SIGN_OFF_CODE,
            context={
                "code": code,
                "title": booking.request.title,
                "helper_name": booking.helper.first_name,
            },
        )
    return OnSiteSignOff.objects.get(pk=booking.pk)


def _code_tried(booking: Booking, code: str) -> bool:
    """Count the try (in its own transaction: a wrong code must still count) and say
    whether the code is right."""
    with transaction.atomic():
        row = OnSiteSignOff.objects.select_for_update().filter(pk=booking.pk).first()
        if row is None or not row.code_hash or row.code_sent_at is None:
            raise field_error("code", "Send a code to the customer first.")
        if row.code_attempts >= CODE_TRIES or timezone.now() > row.code_sent_at + CODE_VALID:
            raise TooManyAttempts(
                "This code has expired: send a new one.", retry_after=0, code="code_expired"
            )
        OnSiteSignOff.objects.filter(pk=row.pk).update(code_attempts=row.code_attempts + 1)
        return constant_time_compare(row.code_hash, _code_hash(booking.pk, code.strip()))


def sign_off_on_site(
    *,
    actor: User,
    booking_id: int,
    method: str,
    signer_name: str,
    signature: str = "",
    code: str = "",
) -> Booking:
    """The customer signs off on the helper's phone: `signature` (SVG path data) or `code`."""
    booking = _on_site_check(actor, booking_id)
    signer_name = signer_name.strip()[:150]
    if not signer_name:
        raise field_error("signer_name", "The customer's name, please.")
    if method == OnSiteMethod.SIGNATURE:
        if not signature.strip() or len(signature) > MAX_SIGNATURE:
            raise field_error("signature", "The customer signs in the box.")
    elif method != OnSiteMethod.CODE:
        raise field_error("method", "Choose a signature or a code.")
    now = timezone.now()
    if method == OnSiteMethod.CODE and not _code_tried(booking, code):
        raise field_error("code", "That code is not right.", code="wrong_code")
    with transaction.atomic():
        OnSiteSignOff.objects.bulk_create([OnSiteSignOff(booking=booking)], ignore_conflicts=True)
        OnSiteSignOff.objects.filter(pk=booking.pk).update(
            method=method,
            signer_name=signer_name,
            signature=signature if method == OnSiteMethod.SIGNATURE else "",
            code_hash="",
            signed_at=now,
        )
        record_event(
            "booking.signed_on_site",
            booking_id=booking.pk,
            request_id=booking.request_id,
            method=method,
            signer_name=signer_name,
            by_user_id=actor.pk,
        )
        sign_off_as(booking, actor=actor, reason=f"signed off on site by {signer_name} ({method})")
    booking.refresh_from_db()
    return booking
