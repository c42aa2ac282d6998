"""What a helper is told about their checks: decided, about to expire, expired. E-mail only:
the vetting page shows every check's status for as long as it lasts."""

from __future__ import annotations

from quartier.notifications.kinds import AddressKind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify_address

from .models import VettingCheck


def tell_helper(check: VettingCheck, step: str) -> None:
    """`step`: approved, rejected, reminder or expired."""
    helper = check.helper
    if not helper.is_active:
        return
    notify_address(
        email=helper.email,
        language=helper.preferred_language or "de",
        kind=AddressKind.VETTING,
        context={
            "step": step,
            "name": helper.first_name or helper.full_name,
            "kind": check.kind,
            "reason": check.reason,
            "expires_on": check.expires_on,
        },
        link=Link(Page.VETTING),
    )
