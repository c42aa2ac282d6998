"""What the household page and API show: my delegates, whom I act for, my invitations,
and everything my delegates did for me."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from quartier.accounts.models import User

from .models import DelegateAct, Delegation


def delegations_given(*, actor: User) -> QuerySet[Delegation]:
    """The member's delegates and open invitations (revoked ones too, for the record)."""
    return Delegation.objects.filter(member=actor).select_related("member", "delegate")


def delegations_held(*, actor: User) -> QuerySet[Delegation]:
    """The members `actor` acts for now."""
    return Delegation.objects.filter(
        delegate=actor, accepted_at__isnull=False, revoked_at__isnull=True
    ).select_related("member")


def invitations_for(*, actor: User) -> QuerySet[Delegation]:
    """Open invitations to the actor's address."""
    return Delegation.objects.filter(
        invited_email__iexact=actor.email, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("member")


def delegate_acts_for(*, actor: User, limit: int = 100) -> QuerySet[DelegateAct]:
    """What delegates did: for the member, everything done for them; for a delegate, what
    they did themselves (while they still hold the delegation or not)."""
    return (
        DelegateAct.objects.filter(
            Q(delegation__member=actor) | Q(delegation__delegate=actor)
        ).select_related("delegation__delegate", "delegation__member")
    )[:limit]
