"""Households in the back office: who may act for whom, and what delegates did (view only:
members invite and revoke in their own account)."""

from __future__ import annotations

from django.contrib import admin

from quartier.back_office import ReadOnlyAdmin, ReadOnlyInline

from .models import DelegateAct, Delegation


class DelegateActInline(ReadOnlyInline):
    model = DelegateAct
    fields = ["at", "action", "target_type", "target_id", "target_label"]
    readonly_fields = ["at", "action", "target_type", "target_id", "target_label"]


@admin.register(Delegation)
class DelegationAdmin(ReadOnlyAdmin):
    list_display = ["id", "member", "invited_email", "delegate", "accepted_at", "revoked_at"]
    list_filter = ["accepted_at", "revoked_at"]
    search_fields = ["member__email", "invited_email", "delegate__email"]
    inlines = [DelegateActInline]
