"""The provider's rows in the back office, read-only (they mirror the provider)."""

from __future__ import annotations

from django.contrib import admin

from quartier.back_office import ReadOnlyAdmin

from .models import ConnectedAccount, ProviderCharge, ProviderDispute, ProviderEvent


@admin.register(ConnectedAccount)
class ConnectedAccountAdmin(ReadOnlyAdmin):
    list_display = ["account_ref", "helper", "charges_enabled", "created_at"]
    search_fields = ["account_ref", "helper__email"]


@admin.register(ProviderCharge)
class ProviderChargeAdmin(ReadOnlyAdmin):
    list_display = ["booking", "kind", "state", "amount_minor", "fee_minor", "refunded_minor"]
    list_filter = ["state", "kind", "currency"]
    search_fields = ["intent_ref", "account_ref"]


@admin.register(ProviderDispute)
class ProviderDisputeAdmin(ReadOnlyAdmin):
    list_display = ["dispute_ref", "charge", "amount_minor", "state", "opened_at"]
    list_filter = ["state"]


@admin.register(ProviderEvent)
class ProviderEventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "type", "account_ref", "received_at"]
    search_fields = ["event_id", "type"]
