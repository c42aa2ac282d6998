"""Shared fixtures: the postcode table, people and an API client that speaks JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from quartier.accounts.models import User
from quartier.accounts.services import api_token_create
from tests.factories import make_customer, make_helper

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Import the real postcode table once per test database (as `make run` does)."""
    from quartier.geo.services import postcodes_import

    with django_db_blocker.unblock():
        postcodes_import()
    return


class Api:
    """A JSON client for /api/v1/, authenticated with a bearer token when given a user."""

    def __init__(self, user: User | None = None) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            self.headers["Authorization"] = f"Bearer {api_token_create(user=user)}"

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        kwargs: dict[str, Any] = {"headers": self.headers}
        if body is not None:
            kwargs["data"] = (
                body if isinstance(body, str | bytes) else json.dumps(body, default=str)
            )
            kwargs["content_type"] = "application/json"
        response = getattr(self.client, method)(f"/api/v1{path}", **kwargs)
        response.data = response.json() if response.content else None
        return response

    def get(self, path: str) -> Any:
        return self._call("get", path)

    def post(self, path: str, body: Any = None) -> Any:
        return self._call("post", path, body if body is not None else {})

    def put(self, path: str, body: Any) -> Any:
        return self._call("put", path, body)


@pytest.fixture
def api_as() -> Callable[[User | None], Api]:
    return Api


@pytest.fixture
def anon() -> Api:
    return Api()


@pytest.fixture
def customer(db: None) -> User:
    return make_customer(
        email="anna@example.com", full_name="Anna Muster", phone="+41 79 111 22 33"
    )


@pytest.fixture
def helper(db: None) -> User:
    """A TV/Internet helper in Zürich Wiedikon (8003) with a 10 km radius."""
    return make_helper(
        email="hans@example.com",
        postcode="8003",
        skills=["tv-set-top-box", "internet-wlan"],
        radius_km=10,
    )


def in_days(days: float, hour: int = 9) -> datetime:
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)
