"""Compliance API: the helper's tax reporting data (DAC7 / PStTG), where they stand in the
reporting duties, and their threshold alerts."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from quartier.accounts.auth import api_auth, current_user
from quartier.accounts.models import HelperProfile, User
from quartier.errors import Forbidden

from .dac7_data import SellerData, dac7_gaps, seller_data, tax_data_save
from .models import Dac7Standing, ThresholdAlert

router = Router(tags=["compliance"])


class TinIn(Schema):
    tin: str = Field(max_length=40)
    country: str = Field(max_length=2, description="The issuing state, e.g. DE.")


class TaxReportingIn(Schema):
    is_entity: bool = Field(default=False, description="A company, not a natural person.")
    date_of_birth: date | None = None
    birth_town: str = Field(default="", max_length=100)
    birth_country: str = Field(default="", max_length=2)
    tins: list[TinIn] = Field(default_factory=list, max_length=4)
    residence_countries: list[str] = Field(default_factory=list, max_length=10)
    register_number: str = Field(default="", max_length=80)


class ThresholdAlertOut(Schema):
    id: int
    code: str
    year: int
    currency: str
    limit_minor: int
    turnover_minor: int
    raised_at: datetime
    confirmed_at: datetime | None


class TaxReportingOut(Schema):
    is_entity: bool
    date_of_birth: date | None
    birth_town: str
    birth_country: str
    tins: list[TinIn]
    residence_countries: list[str]
    register_number: str
    reportable: bool = Field(description="Resident in an EU member state: reported (DAC7).")
    missing: list[str] = Field(description="What the report still needs, as stable codes.")
    notice_sent_at: datetime | None
    reminders_sent: int
    on_hold: bool = Field(description="No new bookings until the data is complete (§ 23).")
    alerts: list[ThresholdAlertOut]


def _seller(request: HttpRequest) -> User:
    user = current_user(request)
    if not (user.is_helper or user.is_pro):
        raise Forbidden("Only helpers and pros report tax data.", code="not_a_helper")
    return user


def _out(data: SellerData) -> TaxReportingOut:
    tax, user = data.tax, data.user
    standing = Dac7Standing.objects.filter(user=user).first()
    held = HelperProfile.objects.filter(user=user, tax_data_hold_since__isnull=False).exists()
    alerts = ThresholdAlert.objects.filter(helper=user)
    return TaxReportingOut(
        is_entity=tax.is_entity,
        date_of_birth=tax.date_of_birth,
        birth_town=tax.birth_town,
        birth_country=tax.birth_country,
        tins=[TinIn(**t) for t in tax.tins],
        residence_countries=list(tax.residence_countries),
        register_number=tax.register_number,
        reportable=data.reportable,
        missing=dac7_gaps(data) if data.reportable else [],
        notice_sent_at=standing.notice_sent_at if standing else None,
        reminders_sent=standing.reminders_sent if standing else 0,
        on_hold=held,
        alerts=[ThresholdAlertOut.model_validate(a, from_attributes=True) for a in alerts],
    )


@router.get("/me/tax-reporting", response=TaxReportingOut, auth=api_auth)
def get_tax_reporting(request: HttpRequest) -> TaxReportingOut:
    """Your tax reporting data (DAC7), what is still missing, and your threshold alerts."""
    return _out(seller_data(_seller(request)))


@router.put("/me/tax-reporting", response=TaxReportingOut, auth=api_auth)
def put_tax_reporting(request: HttpRequest, payload: TaxReportingIn) -> TaxReportingOut:
    """Save your tax reporting data (the whole of it). Wrong values answer 422 with the
    field's error and nothing is saved; completing the data lifts a booking hold at once."""
    user = _seller(request)
    return _out(tax_data_save(actor=user, data=payload.dict()))
