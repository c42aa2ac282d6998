"""Which partner a page is about, and what the visitor may do there: members of the partner
and operators see it; anyone else gets a 404 (no enumeration); writing needs the admin role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from quartier.partners.facade import get_partner_for, member_role
from quartier.partners.models import Partner
from quartier.partners.states import PartnerRole

from ..access import actor_of


def visited_partner(request: HttpRequest, slug: str) -> tuple[Partner, bool]:
    """The partner (404 outside it) and whether the visitor may write (admin role)."""
    actor = actor_of(request)
    partner = get_partner_for(actor, slug)
    return partner, member_role(actor, partner) == PartnerRole.ADMIN


def page_context(partner: Partner, is_admin: bool, **extra: Any) -> dict[str, Any]:
    return {"partner": partner, "is_admin": is_admin} | extra
