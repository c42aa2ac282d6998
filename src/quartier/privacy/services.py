"""Deleting an account: asked for with the password, erased after a grace period.

During the grace period the account works as before (a helper is paused, so no new work
comes in) and the member can cancel; the worker's tick (`deletions_erase_due`) erases
what is due, one account per transaction: either every context erased it or none did.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from quartier.accounts.models import HelperProfile, User
from quartier.bookings.personal_data import has_live_bookings
from quartier.errors import Conflict, NotFound, field_error
from quartier.notifications.kinds import AddressKind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify_address
from quartier.ticks import register_tick

from .models import AccountDeletion
from .registry import CONTEXTS

logger = logging.getLogger(__name__)


def grace_days() -> int:
    return int(getattr(settings, "QUARTIER_DELETION_GRACE_DAYS", 30))


def pending_deletion(user_id: int) -> AccountDeletion | None:
    found: AccountDeletion | None = AccountDeletion.objects.filter(
        user_id=user_id, cancelled_at__isnull=True, erased_at__isnull=True
    ).first()
    return found


def deletion_request(*, actor: User, password: str) -> AccountDeletion:
    """Schedule the erasure of the actor's own account; the password confirms it is them."""
    if not actor.check_password(password):
        raise field_error("password", "That is not your password.", code="wrong_password")
    if actor.is_staff:
        raise Conflict("Operators' accounts are closed by another operator.", code="is_operator")
    if has_live_bookings(actor.pk):
        raise Conflict(
            "Finish or cancel your current bookings first; then you can delete your account.",
            code="live_bookings",
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            deletion = AccountDeletion.objects.create(
                user=actor, requested_at=now, due_at=now + timedelta(days=grace_days())
            )
            HelperProfile.objects.filter(user=actor).update(is_available=False)
    except IntegrityError:
        raise Conflict("Your account is already scheduled for deletion.", code="pending") from None
    notify_address(
        email=actor.email,
        language=actor.preferred_language or "de",
        kind=AddressKind.ACCOUNT_DELETION,
        context={"name": actor.full_name, "due_at": deletion.due_at},
        link=Link(Page.MY_DATA),
    )
    return deletion


def deletion_cancel(*, actor: User) -> AccountDeletion:
    deletion = pending_deletion(actor.pk)
    if deletion is None:
        raise NotFound("Your account is not scheduled for deletion.", code="not_pending")
    deletion.cancelled_at = timezone.now()
    deletion.save(update_fields=["cancelled_at"])
    return deletion


def account_erase(*, user_id: int) -> None:
    """Erase one account everywhere (the contexts in registry order), in one transaction."""
    with transaction.atomic():
        for context in CONTEXTS.values():
            context.erase(user_id)


def deletions_erase_due(*, now: datetime | None = None) -> int:
    """Erase the accounts whose grace period ended; returns how many."""
    now = now or timezone.now()
    erased = 0
    due = AccountDeletion.objects.filter(
        due_at__lte=now, cancelled_at__isnull=True, erased_at__isnull=True
    ).select_related("user")
    for deletion in due[:100]:
        if has_live_bookings(deletion.user_id):  # booked again during the grace period
            logger.warning("deletion of user #%s waits for a live booking", deletion.user_id)
            continue
        email, language = deletion.user.email, deletion.user.preferred_language or "de"
        with transaction.atomic():
            account_erase(user_id=deletion.user_id)
            AccountDeletion.objects.filter(pk=deletion.pk).update(erased_at=now)
        notify_address(email=email, language=language, kind=AddressKind.ACCOUNT_ERASED, context={})
        erased += 1
    return erased


register_tick("privacy", deletions_erase_due, every_seconds=3600)
