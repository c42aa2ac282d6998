"""Who may act for a partner: members by role, operators everywhere, API keys for their own.

Every partner-scoped read goes through these functions, on the web, in the API and in the
back office alike. Anything of another partner is NotFound, never Forbidden (no enumeration).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from quartier.accounts.models import User
from quartier.errors import Forbidden, NotFound

from .models import Case, Partner, PartnerApiKey, PartnerMember, Program
from .states import PartnerRole

#: Who acts for a partner: a signed-in user, or one of the partner's own API keys (which
#: acts as an admin of its partner and of nobody else).
PartnerActor = User | PartnerApiKey


def partners_of(user: User) -> list[Partner]:
    """The partners `user` belongs to (operators: all of them)."""
    if not user.is_authenticated:
        return []
    if user.is_staff:
        return list(Partner.objects.all())
    return list(Partner.objects.filter(members__user=user).distinct())


def member_role(user: PartnerActor, partner: Partner) -> PartnerRole | None:
    """The user's role at the partner; operators and the partner's live API keys act as
    admins; None for outsiders."""
    if isinstance(user, PartnerApiKey):
        live = user.partner_id == partner.pk and user.revoked_at is None
        return PartnerRole.ADMIN if live else None
    if not user.is_authenticated:
        return None
    if user.is_staff:
        return PartnerRole.ADMIN
    role = (
        PartnerMember.objects.filter(partner=partner, user=user)
        .values_list("role", flat=True)
        .first()
    )
    return PartnerRole(role) if role else None


def get_partner_for(user: User, slug: str) -> Partner:
    """The partner if `user` is a member (any role) or an operator, else NotFound."""
    partner = Partner.objects.filter(slug=slug).first()
    if partner is None or member_role(user, partner) is None:
        raise NotFound("No such partner.")
    return partner


def require_admin(user: PartnerActor, partner: Partner) -> None:
    """Keys, webhooks, programs and qualifications need the admin role (analysts only read)."""
    role = member_role(user, partner)
    if role is None:
        raise NotFound("No such partner.")
    if role != PartnerRole.ADMIN:
        raise Forbidden("Only the partner's admins may do this.", code="partner_admin_only")


def get_case_for_partner(partner: Partner, case_id: int) -> Case:
    """One of the partner's cases, else NotFound."""
    case = (
        Case.objects.select_related("program", "service", "request", "request__booked_helper")
        .filter(partner=partner, pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound("No such case.")
    return case


def get_program_for_partner(partner: Partner, slug: str) -> Program:
    program = Program.objects.filter(partner=partner, slug=slug).first()
    if program is None:
        raise NotFound("No such program.")
    return program


def partner_member_exists() -> Exists:
    """For an annotation on users: is the user a member of some partner (the header links
    the partner pages)?"""
    return Exists(PartnerMember.objects.filter(user=OuterRef("pk")))
