"""Checks the API tests share: a problem+json answer, and a marketplace left as it was."""

from __future__ import annotations

from typing import Any

from quartier.accounts.models import ApiToken, HelperProfile, ProProfile, StaffMember, User
from quartier.bookings.models import Booking, Offer, PriceLine
from quartier.catalog.models import HelperSkill
from quartier.households.models import DelegateAct, Delegation
from quartier.jobs.models import JobRequest, RequestEvent
from quartier.reviews.models import Review, SkillRating

TABLES = [
    User,
    HelperProfile,
    HelperSkill,
    ProProfile,
    StaffMember,
    JobRequest,
    RequestEvent,
    Offer,
    PriceLine,
    Booking,
    Review,
    SkillRating,
    Delegation,
    DelegateAct,
]


def snapshot() -> dict[str, Any]:
    """Every row of the marketplace's tables, plus how many API tokens exist."""
    rows: dict[str, Any] = {m.__name__: list(m.objects.order_by("pk").values()) for m in TABLES}
    rows["ApiToken"] = ApiToken.objects.count()  # last_used_at moves on every call
    return rows


def assert_problem(response, status: int, *, code: str | None = None, field: str | None = None):
    """A problem+json body with the status, a message, the code and the field's messages."""
    assert response.status_code == status, response.data
    assert response["Content-Type"] == "application/problem+json"
    body = response.data
    assert body["status"] == status
    assert isinstance(body["detail"], str)
    assert len(body["detail"]) > 5
    if code is not None:
        assert body["code"] == code, body
    if field is not None:
        assert field in body["errors"], body["errors"]
        assert all(isinstance(m, str) and m for m in body["errors"][field])
    return body
