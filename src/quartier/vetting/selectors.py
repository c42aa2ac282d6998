"""Reads for vetting: who is vetted for what, who shows the "verified" badge, one's checks."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from quartier.accounts.models import User
from quartier.catalog.models import HelperSkill
from quartier.errors import NotFound

from .models import CheckKind, CheckStatus, SkillRequirement, VettingCheck


def valid_checks(today: date | None = None) -> QuerySet[VettingCheck]:
    """Approved checks that have not expired (valid through their expiry date). The match
    cards' one statement says the same in SQL (matching.selectors._CARDS_SQL)."""
    today = today or timezone.localdate()
    return VettingCheck.objects.filter(status=CheckStatus.APPROVED).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )


def required_kinds(skill_ids: Collection[int]) -> dict[int, set[str]]:
    """Per skill (only those with any), the kinds of check it requires."""
    out: dict[int, set[str]] = {}
    rows = SkillRequirement.objects.filter(skill_id__in=list(skill_ids))
    for skill_id, kind in rows.values_list("skill_id", "kind"):
        out.setdefault(skill_id, set()).add(kind)
    return out


def valid_kinds(helper_id: int) -> set[str]:
    return set(valid_checks().filter(helper_id=helper_id).values_list("kind", flat=True))


def unvetted_skill_ids(helper_id: int, skill_ids: Collection[int]) -> set[int]:
    """Those of `skill_ids` the helper may not be matched for: a required check is missing,
    waiting, rejected or expired. Two small queries; none of the second when no skill
    requires anything."""
    required = required_kinds(skill_ids)
    if not required:
        return set()
    have = valid_kinds(helper_id)
    return {skill for skill, kinds in required.items() if not kinds <= have}


def helper_vetted_for(*, helper_id: int, skill_id: int) -> bool:
    return not unvetted_skill_ids(helper_id, [skill_id])


def verified_helper_ids(helper_ids: Collection[int]) -> set[int]:
    """Helpers with an approved, valid identity check: the "verified" badge."""
    rows = valid_checks().filter(helper_id__in=list(helper_ids), kind=CheckKind.IDENTITY)
    return set(rows.values_list("helper_id", flat=True))


def check_list_for(actor: User) -> QuerySet[VettingCheck]:
    """The actor's own checks, newest first."""
    return VettingCheck.objects.filter(helper=actor).prefetch_related("documents")


def get_check_for(actor: User, check_id: int) -> VettingCheck:
    """One of the actor's own checks; anyone else's is not found (404), operators' too: they
    work in the back office."""
    found = check_list_for(actor).filter(pk=check_id).first()
    if found is None:
        raise NotFound("No such check.", code="check_not_found")
    return found


def skill_kinds_for(actor: User) -> dict[str, list[int]]:
    """Which kinds of check the actor's skills require (kind -> skill ids)."""
    skill_ids = HelperSkill.objects.filter(helper=actor).values_list("skill_id", flat=True)
    out: dict[str, list[int]] = {}
    for skill_id, kinds in required_kinds(list(skill_ids)).items():
        for kind in kinds:
            out.setdefault(kind, []).append(skill_id)
    return out
