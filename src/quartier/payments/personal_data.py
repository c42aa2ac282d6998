"""A helper's payout and tax profile: exported, and deleted with the account. The ledger
keeps its entries (they name an account number, not a person) for the legal retention."""

from __future__ import annotations

from typing import Any

from .models import PayoutProfile

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
    profile = PayoutProfile.objects.filter(user_id=user_id).first()
    if profile is None:
        return {"payout_profile": None}
    data: dict[str, Any] = {field: getattr(profile, field) for field in FIELDS}
    data["mandate_signed_at"] = (
        profile.mandate_signed_at.isoformat() if profile.mandate_signed_at else None
    )
    return {"payout_profile": data}


def erase(user_id: int) -> None:
    PayoutProfile.objects.filter(user_id=user_id).delete()
