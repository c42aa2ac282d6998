"""A seller's tax reporting data, DAC7 standing and threshold alerts: exported, and erased
with the account (registered in privacy's registry). Whether reported DAC7 data must be kept
for the PStTG retention period is an open item for advisors."""

from __future__ import annotations

from typing import Any

from .models import Dac7Standing, TaxReportingProfile, ThresholdAlert


def export(user_id: int) -> dict[str, Any]:
    tax = TaxReportingProfile.objects.filter(user_id=user_id).first()
    standing = Dac7Standing.objects.filter(user_id=user_id).first()
    return {
        "tax_reporting": None
        if tax is None
        else {
            "is_entity": tax.is_entity,
            "date_of_birth": tax.date_of_birth.isoformat() if tax.date_of_birth else None,
            "birth_town": tax.birth_town,
            "birth_country": tax.birth_country,
            "tins": tax.tins,
            "residence_countries": tax.residence_countries,
            "register_number": tax.register_number,
        },
        "dac7_notice_sent_at": standing.notice_sent_at.isoformat()
        if standing and standing.notice_sent_at
        else None,
        "threshold_alerts": [
            {"code": a.code, "year": a.year, "currency": a.currency, "amount": a.turnover_minor}
            for a in ThresholdAlert.objects.filter(helper_id=user_id)
        ],
    }


def erase(user_id: int) -> None:
    TaxReportingProfile.objects.filter(user_id=user_id).delete()
    Dac7Standing.objects.filter(user_id=user_id).delete()
    ThresholdAlert.objects.filter(helper_id=user_id).delete()
