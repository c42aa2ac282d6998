"""Recording what operators do: `record_operator_action(actor, action, target, reason)`.

Called by each context's service, inside the transaction of the change it records, so an
action that rolls back leaves no row and a committed one always has its row.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import OperatorAction

#: A target given without a model instance: (kind, id, label).
TargetRef = tuple[str, int | str, str]


def target_of(target: models.Model | TargetRef) -> TargetRef:
    if isinstance(target, tuple):
        return target
    return (target._meta.label_lower, target.pk, str(target)[:200])


def record_operator_action(
    actor: Any, action: str, target: models.Model | TargetRef, reason: str = ""
) -> OperatorAction:
    """Write the audit row of an operator's `action` on `target` (a model instance or a
    (kind, id, label) triple), with the reason they gave."""
    kind, pk, label = target_of(target)
    return OperatorAction.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=str(getattr(actor, "email", "") or "system")[:254],
        action=action[:60],
        target_type=kind[:60],
        target_id=str(pk)[:40],
        target_label=label[:200],
        reason=(reason or "").strip(),
    )


def record_if_operator(
    actor: Any, action: str, target: models.Model | TargetRef, reason: str = ""
) -> None:
    """Record the action when an operator took it (a service some callers run as the
    system or a partner, e.g. stopping a dispatch)."""
    if actor is not None and getattr(actor, "is_staff", False):
        record_operator_action(actor, action, target, reason)
