"""Suspensions are decided by people, for a reason the helper sees and can answer.

An operator suspends with a reason (`services.helper_suspend`); the helper is told by
e-mail and on their start page, and may answer once per suspension. An operator replies,
reinstating the helper or not; the reply reaches the helper too. Money earned is paid out
during a suspension (payouts do not look at it).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from quartier.audit.services import record_operator_action
from quartier.errors import Conflict, Forbidden, NotFound, field_error
from quartier.events import record_event

from .appeal_models import SuspensionAppeal
from .models import HelperProfile, User
from .services import helper_reinstate


def suspension_appeal(*, actor: User, text: str) -> SuspensionAppeal:
    """The suspended helper answers their suspension (once per suspension)."""
    profile = HelperProfile.objects.filter(user=actor).first()
    if profile is None or profile.suspended_at is None:
        raise Conflict("Your profile is not suspended.", code="not_suspended")
    text = text.strip()
    if not text:
        raise field_error("text", "Say why the suspension is not right.", code="appeal_missing")
    try:
        with transaction.atomic():
            appeal = SuspensionAppeal.objects.create(
                helper=actor,
                suspended_at=profile.suspended_at,
                reason=profile.suspension_reason,
                text=text[:2000],
            )
    except IntegrityError:
        raise Conflict(
            "You have answered this suspension already; an operator will reply.",
            code="appeal_exists",
        ) from None
    return appeal


def suspension_appeal_answer(
    *, actor: User, appeal_id: int, answer: str, reinstate: bool
) -> SuspensionAppeal:
    """An operator replies to an appeal, reinstating the helper or not."""
    if not actor.is_staff:
        raise Forbidden("Only operators answer appeals.", code="not_an_operator")
    answer = answer.strip()
    if not answer:
        raise field_error("answer", "Write the answer the helper will read.", code="answer_missing")
    with transaction.atomic():
        appeal = SuspensionAppeal.objects.select_for_update().filter(pk=appeal_id).first()
        if appeal is None:
            raise NotFound("No such appeal.")
        if appeal.answered_at is not None:
            raise Conflict("This appeal is answered already.", code="appeal_answered")
        appeal.answer, appeal.answered_at = answer[:2000], timezone.now()
        appeal.answered_by, appeal.reinstated = actor, reinstate
        appeal.save(update_fields=["answer", "answered_at", "answered_by", "reinstated"])
        if reinstate:
            helper_reinstate(actor=actor, helper_id=appeal.helper_id, reason=appeal.answer)
        action = "suspension.appeal_reinstate" if reinstate else "suspension.appeal_uphold"
        record_operator_action(actor, action, appeal, appeal.answer)
        record_event(
            "suspension.appeal_answered",
            helper_id=appeal.helper_id,
            answer=appeal.answer,
            reinstated=reinstate,
        )
    return appeal


def open_appeal(profile: HelperProfile | None) -> SuspensionAppeal | None:
    """The helper's appeal of their current suspension, if they wrote one."""
    if profile is None or profile.suspended_at is None:
        return None
    found: SuspensionAppeal | None = SuspensionAppeal.objects.filter(
        helper_id=profile.user_id, suspended_at=profile.suspended_at
    ).first()
    return found
