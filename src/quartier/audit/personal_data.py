"""The operator audit keeps what was done after an account is erased (the record of a
decision outlives the person), but no longer names them: an erased operator's address and
an erased member's name in a row's object label are replaced."""

from __future__ import annotations

from typing import Any

from .models import OperatorAction


def export(user_id: int) -> dict[str, Any]:
    """Decisions about the person (operators' own actions are the operator's work, not
    their personal data)."""
    rows = OperatorAction.objects.filter(
        target_type="accounts.user", target_id=str(user_id)
    ).order_by("id")
    return {
        "operator_actions": [
            {"action": r.action, "at": r.created_at.isoformat(), "reason": r.reason} for r in rows
        ]
    }


def erase(user_id: int) -> None:
    OperatorAction.objects.filter(actor_id=user_id).update(actor_name=f"erased operator #{user_id}")
    OperatorAction.objects.filter(target_type="accounts.user", target_id=str(user_id)).update(
        target_label=f"erased member #{user_id}"
    )
