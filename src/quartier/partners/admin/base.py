"""What every partners back-office page shares: the signed-in operator, read-only pages for
audit trails and logs, and running a service over the selected rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from quartier.accounts.models import User
from quartier.errors import QuartierError


def staff_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # the admin requires a signed-in staff user
    return request.user


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Audit trails and logs: look, never touch."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def for_each_selected(
    model_admin: admin.ModelAdmin[Any],
    request: HttpRequest,
    queryset: QuerySet[Any],
    step: Callable[[Any], object],
    verb: str,
) -> None:
    """Run a service per selected row; a refusal is shown, the others go on."""
    done = 0
    for row in queryset.order_by("pk"):
        try:
            step(row)
            done += 1
        except QuartierError as error:
            model_admin.message_user(request, f"#{row.pk}: {error.detail}", messages.WARNING)
    model_admin.message_user(request, f"{done} {verb}.", messages.SUCCESS)
