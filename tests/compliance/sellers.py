"""Sellers for the compliance tests: German and Swiss helpers with a complete payout profile
(and, on request, complete tax reporting data)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from quartier.accounts.models import User
from quartier.compliance.models import TaxReportingProfile
from quartier.payments.mandate import MANDATE_VERSION
from quartier.payments.models import PayoutProfile
from tests.factories import make_helper
from tests.payments.money_fixtures import CH_PROFILE, DE_PROFILE

GERMAN_TIN = "86095742719"


def seller(country: str = "DE", *, vat_status: str = "", **fields: Any) -> User:
    """A matchable helper in Berlin (DE) or Zürich (CH) with a complete payout profile."""
    postcode = "10115" if country == "DE" else "8003"
    user = make_helper(country=country, postcode=postcode, **fields)
    data = dict(DE_PROFILE if country == "DE" else CH_PROFILE)
    data.pop("mandate_accepted")
    data["iban"] = data["iban"].replace(" ", "")
    if vat_status:
        data["vat_status"] = vat_status
    if vat_status in ("de_small", "de_regular"):
        data["tax_number"] = "21/815/08150"
    PayoutProfile.objects.create(
        user=user, mandate_signed_at=timezone.now(), mandate_version=MANDATE_VERSION, **data
    )
    return user


def complete_tax_data(user: User) -> TaxReportingProfile:
    profile: TaxReportingProfile = TaxReportingProfile.objects.create(
        user=user,
        date_of_birth=date(1985, 4, 2),
        tins=[{"tin": GERMAN_TIN, "country": "DE"}],
        residence_countries=["DE"],
    )
    return profile
