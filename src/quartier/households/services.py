"""Invite, accept and revoke delegates; record what a delegate does for the member."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from quartier.accounts.models import User
from quartier.errors import Conflict, Forbidden, NotFound, field_error
from quartier.notifications.kinds import AddressKind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify_address

from .access import forget_members, live_delegations
from .models import DelegateAct, Delegation

#: A member has at most this many live delegates and invitations.
MAX_DELEGATES = 5


def delegation_invite(*, actor: User, email: str) -> Delegation:
    """The member invites the account with `email` to act for them. The invitation is
    e-mailed to the address; only the account with that address can accept it."""
    address = (email or "").strip().lower()
    if "@" not in address or len(address) > 254:
        raise field_error("email", "Give the e-mail address of their account.", code="bad_email")
    if address == actor.email.lower():
        raise field_error("email", "You cannot be your own delegate.", code="own_address")
    live = Delegation.objects.filter(member=actor, revoked_at__isnull=True)
    if live.filter(invited_email=address).exists():
        raise Conflict("This address is invited already.", code="invited_already")
    if live.count() >= MAX_DELEGATES:
        raise Conflict(
            f"A household has at most {MAX_DELEGATES} delegates.", code="too_many_delegates"
        )
    try:
        with transaction.atomic():
            delegation = Delegation.objects.create(member=actor, invited_email=address)
    except IntegrityError:
        raise Conflict("This address is invited already.", code="invited_already") from None
    invited = User.objects.filter(email__iexact=address, is_active=True).first()
    notify_address(
        email=address,
        language=(invited.preferred_language if invited else actor.preferred_language) or "de",
        kind=AddressKind.HOUSEHOLD_INVITATION,
        context={"member_name": actor.full_name},
        link=Link(Page.HOUSEHOLD),
    )
    return delegation


def _invitation_for(actor: User, delegation_id: int) -> Delegation:
    """An open invitation addressed to the actor's e-mail address, else NotFound."""
    delegation = (
        Delegation.objects.select_related("member")
        .filter(pk=delegation_id, revoked_at__isnull=True, accepted_at__isnull=True)
        .first()
    )
    if delegation is None or delegation.invited_email.lower() != actor.email.lower():
        raise NotFound("No such invitation.")
    return delegation


def delegation_accept(*, actor: User, delegation_id: int) -> Delegation:
    """The invited account accepts: from now on it may act for the member."""
    delegation = _invitation_for(actor, delegation_id)
    if actor.email_verified_at is None:
        raise Forbidden(
            "Confirm your e-mail address first: the invitation is for that address.",
            code="email_not_verified",
        )
    if delegation.member_id == actor.pk:
        raise Conflict("You cannot be your own delegate.", code="own_address")
    try:
        with transaction.atomic():
            done = Delegation.objects.filter(
                pk=delegation.pk, revoked_at__isnull=True, accepted_at__isnull=True
            ).update(delegate=actor, accepted_at=timezone.now())
    except IntegrityError:
        raise Conflict("You are their delegate already.", code="delegate_already") from None
    if done != 1:
        raise NotFound("No such invitation.")
    forget_members(actor)
    delegation.refresh_from_db()
    return delegation


def delegation_decline(*, actor: User, delegation_id: int) -> Delegation:
    """The invited account says no: the invitation ends."""
    delegation = _invitation_for(actor, delegation_id)
    Delegation.objects.filter(pk=delegation.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor
    )
    delegation.refresh_from_db()
    return delegation


def delegation_revoke(*, actor: User, delegation_id: int) -> Delegation:
    """The member revokes a delegate (or an invitation), or a delegate steps down. Effective
    at once: the next request of the former delegate is refused like anyone else's."""
    delegation = (
        Delegation.objects.filter(pk=delegation_id)
        .filter(Q(member=actor) | Q(delegate=actor, revoked_at__isnull=True))
        .first()
    )
    if delegation is None:
        raise NotFound("No such delegate.")
    ended = Delegation.objects.filter(pk=delegation.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor
    )
    if ended != 1:
        raise Conflict("This delegate is revoked already.", code="revoked_already")
    forget_members(actor)
    delegation.refresh_from_db()
    return delegation


def record_delegate_act(
    actor: Any, customer_id: int | None, action: str, target: models.Model
) -> DelegateAct | None:
    """Write down that `actor` did `action` on `target` for the member `customer_id`, when
    they acted as a delegate (nothing when the customer acted themselves). Called inside
    the transaction of the change, so a rolled-back act leaves no row."""
    if customer_id is None or getattr(actor, "pk", None) in (None, customer_id):
        return None
    delegation = live_delegations().filter(delegate_id=actor.pk, member_id=customer_id).first()
    if delegation is None:
        return None
    return DelegateAct.objects.create(
        delegation=delegation,
        action=action[:60],
        target_type=target._meta.label_lower[:60],
        target_id=str(target.pk)[:40],
        target_label=str(target)[:200],
    )
