"""A helper's payout and tax profile: exported, and deleted with the account. The ledger
keeps its entries (they name an account number, not a person) for the legal retention; the
payouts made keep their IBAN and holder as bank vouchers until `retention` blanks them."""

from __future__ import annotations

from typing import Any

from .models import PayoutProfile
from .payout_models import PayoutItem

FIELDS = (
    "provider_kind",
    "legal_name",
    "street",
    "house_number",
    "postcode",
    "town",
    "country",
    "iban",
    "account_holder",
    "vat_status",
    "uid",
    "tax_number",
    "vat_id",
)


def export(user_id: int) -> dict[str, Any]:
    return {"payout_profile": _profile(user_id), "payouts": _payouts(user_id)}


def _profile(user_id: int) -> dict[str, Any] | None:
    profile = PayoutProfile.objects.filter(user_id=user_id).first()
    if profile is None:
        return None
    data: dict[str, Any] = {field: getattr(profile, field) for field in FIELDS}
    data["mandate_signed_at"] = (
        profile.mandate_signed_at.isoformat() if profile.mandate_signed_at else None
    )
    return data


def _payouts(user_id: int) -> list[dict[str, Any]]:
    items = PayoutItem.objects.filter(helper_id=user_id).select_related("run").order_by("id")
    return [
        {
            "amount_minor": item.amount_minor,
            "currency": item.run.currency,
            "iban": item.iban,
            "account_holder": item.account_holder,
            "file": item.run.file_name,
            "created_at": item.run.created_at.isoformat(),
            "executed_at": item.run.executed_at.isoformat() if item.run.executed_at else None,
        }
        for item in items
    ]


def erase(user_id: int) -> None:
    PayoutProfile.objects.filter(user_id=user_id).delete()
