from __future__ import annotations

from typing import Any

import pytest

from quartier.accounts.models import User
from tests.vetting.helpers import make_operator
from tests.web.conftest import browser_as

__all__ = ["browser_as"]  # fixtures


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def operator(db: None) -> User:
    return make_operator()
