"""Households API: your delegates (invite, revoke), the members you act for, invitations to
you (accept, decline) and what delegates did. A delegate then uses the usual operations
(requests with `for_customer_id`, offers, bookings, changes, sign-off, invoices) on the
member's objects; a former delegate gets 404 like anyone else."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from quartier.accounts.auth import api_auth, current_user

from .models import DelegateAct, Delegation
from .selectors import delegate_acts_for, delegations_given, delegations_held, invitations_for
from .services import (
    delegation_accept,
    delegation_decline,
    delegation_invite,
    delegation_revoke,
)

router = Router(tags=["households"], auth=api_auth)


class InviteIn(Schema):
    email: str


class DelegationOut(Schema):
    id: int
    state: str  # invited, active, revoked
    member_id: int
    member_name: str
    delegate_id: int | None
    delegate_name: str | None
    invited_email: str | None  # shown to the member only
    invited_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None


class HouseholdOut(Schema):
    delegates: list[DelegationOut]  # who may act for me, and my open invitations
    members: list[DelegationOut]  # whom I act for
    invitations: list[DelegationOut]  # open invitations to my address


class ActOut(Schema):
    at: datetime
    action: str
    member_id: int
    delegate_id: int | None
    delegate_name: str
    target_type: str
    target_id: str
    target_label: str


def _out(delegation: Delegation, *, for_member: bool) -> DelegationOut:
    delegate = delegation.delegate
    return DelegationOut(
        id=delegation.pk,
        state=delegation.state,
        member_id=delegation.member_id,
        member_name=delegation.member.full_name,
        delegate_id=delegation.delegate_id,
        delegate_name=delegate.full_name if delegate else None,
        invited_email=delegation.invited_email if for_member else None,
        invited_at=delegation.invited_at,
        accepted_at=delegation.accepted_at,
        revoked_at=delegation.revoked_at,
    )


def _act_out(act: DelegateAct) -> ActOut:
    delegate = act.delegation.delegate
    return ActOut(
        at=act.at,
        action=act.action,
        member_id=act.delegation.member_id,
        delegate_id=act.delegation.delegate_id,
        delegate_name=delegate.full_name if delegate else "",
        target_type=act.target_type,
        target_id=act.target_id,
        target_label=act.target_label,
    )


@router.get("/me/household", response=HouseholdOut)
def household(request: HttpRequest) -> HouseholdOut:
    """Your delegates and open invitations, the members you act for, invitations to you."""
    actor = current_user(request)
    given = delegations_given(actor=actor).filter(revoked_at__isnull=True).select_related("member")
    return HouseholdOut(
        delegates=[_out(d, for_member=True) for d in given],
        members=[_out(d, for_member=False) for d in delegations_held(actor=actor)],
        invitations=[_out(d, for_member=False) for d in invitations_for(actor=actor)],
    )


@router.post("/me/household/delegates", response={201: DelegationOut})
def invite_delegate(request: HttpRequest, payload: InviteIn) -> Status[DelegationOut]:
    """Invite the account with `email` to act for you (409 `invited_already`)."""
    delegation = delegation_invite(actor=current_user(request), email=payload.email)
    return Status(201, _out(delegation, for_member=True))


@router.post("/me/household/invitations/{delegation_id}/accept", response=DelegationOut)
def accept_invitation(request: HttpRequest, delegation_id: int) -> DelegationOut:
    """Accept an invitation to your address: from now on you may act for its member."""
    return _out(
        delegation_accept(actor=current_user(request), delegation_id=delegation_id),
        for_member=False,
    )


@router.post("/me/household/invitations/{delegation_id}/decline", response=DelegationOut)
def decline_invitation(request: HttpRequest, delegation_id: int) -> DelegationOut:
    """Decline an invitation to your address."""
    return _out(
        delegation_decline(actor=current_user(request), delegation_id=delegation_id),
        for_member=False,
    )


@router.delete("/me/household/delegations/{delegation_id}", response=DelegationOut)
def revoke_delegation(request: HttpRequest, delegation_id: int) -> DelegationOut:
    """The member revokes a delegate (or an invitation), or the delegate steps down: at
    once, the former delegate's next call on the member's objects is a 404."""
    actor = current_user(request)
    delegation = delegation_revoke(actor=actor, delegation_id=delegation_id)
    return _out(delegation, for_member=delegation.member_id == actor.pk)


@router.get("/me/household/acts", response=list[ActOut])
def delegate_acts(request: HttpRequest) -> list[ActOut]:
    """What delegates did: for a member everything done for them, for a delegate their own
    acts; newest first, at most 100."""
    return [_act_out(a) for a in delegate_acts_for(actor=current_user(request))]
