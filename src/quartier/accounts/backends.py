"""The one authentication backend: Django's model backend, throttled (see `throttle`).

Every password check goes through here: the API's log-in, the web log-in form and the
back office's. A locked account or address gets no password check at all; the backend
notes the wait on the request (`request.login_retry_after`, seconds) for the view to answer
429 / a form error, since `django.contrib.auth.authenticate` can only return None.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .models import User
from .throttle import client_address, login_failed, login_succeeded, login_wait


def login_retry_after(request: HttpRequest) -> int:
    """Seconds the last `authenticate` on `request` was told to wait (0: not throttled)."""
    return int(getattr(request, "login_retry_after", 0))


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        email = username.strip().lower()
        address = client_address(request)
        wait = login_wait(email=email, address=address)
        if wait:
            if request is not None:
                request.login_retry_after = wait  # type: ignore[attr-defined]
            raise PermissionDenied  # no other backend tries either
        user = super().authenticate(request, username=email, password=password, **kwargs)
        if user is None:
            login_failed(email=email, address=address)
        else:
            login_succeeded(email=email)
        return user
