"""What a helper is told when an operator takes them out of matching or lets them back in,
and the operator's reply to their appeal (events of `accounts.services` / `suspension`).
E-mail only: the start page shows the suspension and the appeal for as long as they last."""

from __future__ import annotations

from typing import Any

from quartier.accounts.models import User
from quartier.events import handles
from quartier.notifications.kinds import AddressKind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify_address


@handles(
    "helper.suspended",
    "helper.reinstated",
    "suspension.appeal_answered",
    name="notifications.suspension",
)
def on_suspension_step(event: Any) -> None:
    helper = User.objects.filter(pk=event.payload["helper_id"], is_active=True).first()
    if helper is None:
        return
    notify_address(
        email=helper.email,
        language=helper.preferred_language or "de",
        kind=AddressKind.SUSPENSION,
        context={
            "step": event.kind,
            "name": helper.first_name or helper.full_name,
            "reason": event.payload.get("reason", ""),
            "answer": event.payload.get("answer", ""),
            "reinstated": event.payload.get("reinstated", False),
        },
        link=Link(Page.DASHBOARD),
    )
