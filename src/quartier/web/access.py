"""Who is asking: the logged-in actor, role gates and safe redirects for the web views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from quartier.accounts.models import User

from .service_errors import ViewFunction, service_errors_as_http


def actor_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "views that need an actor are wrapped in member_view"
    return user


def member_view(view: ViewFunction) -> ViewFunction:
    """Logged-in members only; service errors become 404 / 403 / log-in."""
    return login_required(login_url="web:login")(service_errors_as_http(view))


def role_view(role: str) -> Callable[[ViewFunction], ViewFunction]:
    """Members holding `role` ("helper" or "pro"); others get a page that says what it is for."""

    def decorate(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            actor = actor_of(request)
            if role not in actor.roles:
                return render(request, "web/role_required.html", {"role": role}, status=403)
            return view(request, *args, **kwargs)

        return member_view(cast(ViewFunction, wrapper))

    return decorate


def back_to(request: HttpRequest, fallback: str, *args: Any) -> HttpResponse:
    """Redirect to the form's `next` when it is a safe local URL, else to `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback, *args)


def posted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST (even an empty one, so that the form validates), else None."""
    return request.POST if request.method == "POST" else None
