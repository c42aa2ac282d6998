"""Back office: the ledger, read-only — it changes only through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import URLPattern

from quartier.back_office import ReadOnlyAdmin, ReadOnlyInline

from .models import LedgerAccount, LedgerEntry, LedgerTransaction
from .money_admin import money_urls


class EntryInline(ReadOnlyInline):
    model = LedgerEntry
    fields = ["account", "amount_minor", "currency"]
    readonly_fields = ["account", "amount_minor", "currency"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LedgerAccount)
class LedgerAccountAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "currency", "owner_kind", "owner_id", "opened_at"]
    list_filter = ["kind", "currency", "owner_kind"]
    search_fields = ["code"]

    def get_urls(self) -> list[URLPattern]:
        return money_urls() + super().get_urls()


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    list_display = ["id", "event_key", "kind", "subject", "booked_at", "memo"]
    list_filter = ["kind"]
    search_fields = ["event_key", "subject", "memo"]
    date_hierarchy = "booked_at"
    inlines = [EntryInline]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "transaction", "account", "amount_minor", "currency"]
    list_filter = ["currency", "account__kind"]
    search_fields = ["account__code", "transaction__event_key"]
    list_select_related = ["transaction", "account"]
