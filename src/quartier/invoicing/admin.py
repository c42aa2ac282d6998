from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Invoice, InvoiceWithheld


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin[Invoice]):
    """Read only: invoices are corrected by credit notes, never edited."""

    list_display = [
        "number",
        "kind",
        "issuer_name",
        "template",
        "total_minor",
        "currency",
        "issued_at",
    ]
    list_filter = ["kind", "template", "currency"]
    search_fields = ["number", "issuer_name"]

    def get_queryset(self, request: HttpRequest) -> Any:
        # Invoices kept only for the law after an erasure are not shown (retention.py).
        return super().get_queryset(request).filter(restriction__isnull=True)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(InvoiceWithheld)
class InvoiceWithheldAdmin(admin.ModelAdmin[InvoiceWithheld]):
    list_display = ["booking_id", "helper_id", "gaps", "recorded_at"]
