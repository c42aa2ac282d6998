"""Partner cases opened for a person (their requests). On erasure Quartier's copy of the
contact details goes; the partner keeps its own records under its reference."""

from __future__ import annotations

from typing import Any

from quartier.accounts.personal_data import erased_email

from .models import Case


def export(user_id: int) -> dict[str, Any]:
    cases = Case.objects.filter(request__customer_id=user_id).select_related("partner")
    return {
        "partner_cases": [
            {
                "partner": c.partner.name,
                "reference": c.reference,
                "contact_name": c.contact_name,
                "contact_email": c.contact_email,
                "contact_phone": c.contact_phone,
                "request_id": c.request_id,
                "created_at": c.created_at.isoformat(),
            }
            for c in cases.order_by("id")
        ]
    }


def erase(user_id: int) -> None:
    Case.objects.filter(request__customer_id=user_id).update(
        contact_name="—", contact_email=erased_email(user_id), contact_phone=""
    )
