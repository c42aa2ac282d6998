"""Fixtures for dispatch: a crowd of helpers around Zürich, the task backend pinned to the
database queue, and a database that commits for real for races and real workers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from quartier.accounts.models import User
from quartier.dispatch.models import Dispatch
from quartier.dispatch.services import dispatch_for_request
from quartier.dispatch.terms import DispatchTerms
from quartier.jobs.models import JobRequest
from quartier.matching.engine import rank
from quartier.matching.models import MatchIndex
from quartier.matching.selectors import request_query
from tests.factories import make_customer, make_helper
from tests.races import race

__all__ = ["race"]  # the dispatch race tests import it from here


#: Zürich postcodes, nearest to the request's 8004 first (roughly): the crowd lives here.
ZURICH = [
    "8004",
    "8003",
    "8005",
    "8001",
    "8002",
    "8006",
    "8045",
    "8008",
    "8037",
    "8055",
    "8032",
    "8038",
    "8057",
    "8044",
    "8046",
    "8047",
    "8048",
    "8049",
    "8050",
    "8051",
]

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def dispatch_settings(settings: Any) -> Any:
    """The documented defaults, whatever the environment says, and the database task queue
    (REDIS_URL in the environment would otherwise switch the default backend to RQ)."""
    settings.TASKS = DB_TASKS
    settings.QUARTIER_DISPATCH_WAVE_SIZE = 5
    settings.QUARTIER_DISPATCH_MAX_WAVE_SIZE = 50
    settings.QUARTIER_DISPATCH_MAX_QUOTES = 5
    settings.QUARTIER_DISPATCH_WAVE_MINUTES = 30
    settings.QUARTIER_DISPATCH_LEAD_HOURS = 2
    settings.QUARTIER_MAX_OPEN_INVITATIONS = 5
    return settings


def make_crowd(count: int, *, prefix: str = "helper") -> list[User]:
    """`count` TV helpers spread over Zürich, each reaching the whole city."""
    return [
        make_helper(
            email=f"{prefix}{i}@example.com",
            postcode=ZURICH[i % len(ZURICH)],
            skills=["tv-set-top-box"],
            radius_km=20,
        )
        for i in range(count)
    ]


@pytest.fixture
def crowd_of() -> Callable[..., list[User]]:
    return make_crowd


@pytest.fixture
def anna(db: None) -> User:
    return make_customer(email="anna@example.com", full_name="Anna Muster")


def start_dispatch(request: JobRequest, **options: Any) -> Dispatch:
    """`dispatch_for_request` with these options. Posting a request may already have started
    a default (quotes) dispatch that sent nothing yet: it is replaced, so a test gets the mode
    it asks for and sees the tasks being enqueued."""
    Dispatch.objects.filter(request=request, wave=0).delete()
    return dispatch_for_request(request_id=request.pk, terms=DispatchTerms(**options))


def ranked(request: JobRequest, *, limit: int, exclude: set[int] | None = None) -> list[int]:
    """What the matcher ranks for the request right now: helper ids, best first."""
    return [c.helper_id for c in rank(request_query(request, limit=limit, exclude=exclude))]


def open_counts(helper_ids: list[int] | None = None) -> dict[int, int]:
    """Each helper's open-invitations counter (all their skill rows agree here)."""
    rows = MatchIndex.objects.all()
    if helper_ids is not None:
        rows = rows.filter(helper_id__in=helper_ids)
    return dict(rows.values_list("helper_id", "open_invitations"))


# --- a database that commits for real (races, real workers) ---------------------------------
