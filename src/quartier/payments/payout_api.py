"""Payouts API: the helper's payout & tax profile, and partners' monthly statements."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Query, Router, Schema
from ninja.decorators import decorate_view
from pydantic import Field

from quartier.accounts.auth import api_auth, current_user
from quartier.accounts.models import User
from quartier.errors import Forbidden, InvalidInput
from quartier.partners.integration.auth import PartnerKeyAuth, current_partner, partner_view

from .mandate import MANDATE_VERSION, mandate_text
from .models import PayoutProfile
from .partner_statements import PartnerStatement, partner_statement_csv, partner_statements
from .payout_config import payout_iban
from .profiles import INVOICING_GAPS, gaps_of, payout_profile_for, payout_profile_save
from .statement_pdf import partner_statement_pdf

router = Router(tags=["payments"])  # /me/payout-profile
partner_router = Router(tags=["partner"], auth=PartnerKeyAuth())


class PayoutProfileIn(Schema):
    provider_kind: str = Field(default="private", description="private or business")
    legal_name: str = Field(default="", max_length=200)
    street: str = Field(default="", max_length=200)
    house_number: str = Field(default="", max_length=50)
    postcode: str = Field(default="", max_length=20)
    town: str = Field(default="", max_length=100)
    country: str = Field(default="", description="CH or DE", max_length=2)
    iban: str = Field(default="", max_length=50, description="CH/LI for CHF, SEPA for EUR.")
    account_holder: str = Field(default="", max_length=200)
    vat_status: str = Field(
        default="",
        description="ch_registered, ch_unregistered, de_regular, de_small or de_private.",
    )
    vat_valid_from: date | None = None
    vat_valid_until: date | None = None
    uid: str = Field(default="", max_length=40, description="Swiss UID, CHE-123.456.789")
    tax_number: str = Field(default="", max_length=40, description="German Steuernummer")
    vat_id: str = Field(default="", max_length=20, description="German USt-IdNr")
    mandate_accepted: bool = Field(
        default=False, description="True signs the current invoicing mandate (see GET)."
    )


class PayoutProfileOut(Schema):
    provider_kind: str
    legal_name: str
    street: str
    house_number: str
    postcode: str
    town: str
    country: str
    iban: str
    account_holder: str
    vat_status: str
    vat_valid_from: date | None
    vat_valid_until: date | None
    uid: str
    tax_number: str
    vat_id: str
    mandate_signed_at: datetime | None
    mandate_version: str
    mandate_current_version: str
    mandate_text: str
    gaps: list[str] = Field(description="What is missing, as stable codes.")
    invoicing_ready: bool
    payout_ready: bool


def _helper(request: HttpRequest) -> User:
    user = current_user(request)
    if not (user.is_helper or user.is_pro):
        raise Forbidden("Only helpers have a payout profile.", code="not_a_helper")
    return user


def _profile_out(user: User, profile: PayoutProfile) -> PayoutProfileOut:
    gaps = gaps_of(profile)
    return PayoutProfileOut(
        **{name: getattr(profile, name) or "" for name in _TEXT},
        vat_valid_from=profile.vat_valid_from,
        vat_valid_until=profile.vat_valid_until,
        mandate_signed_at=profile.mandate_signed_at,
        mandate_current_version=MANDATE_VERSION,
        mandate_text=mandate_text(user.preferred_language or translation.get_language() or "de"),
        gaps=gaps,
        invoicing_ready=not INVOICING_GAPS.intersection(gaps),
        payout_ready=not gaps,
    )


_TEXT = [
    "provider_kind", "legal_name", "street", "house_number", "postcode", "town", "country",
    "iban", "account_holder", "vat_status", "uid", "tax_number", "vat_id", "mandate_version",
]  # fmt: skip


@router.get("/me/payout-profile", response=PayoutProfileOut, auth=api_auth)
def get_payout_profile(request: HttpRequest) -> PayoutProfileOut:
    """Your payout & tax profile, what is still missing, and the mandate to sign."""
    user = _helper(request)
    return _profile_out(user, payout_profile_for(user))


@router.put("/me/payout-profile", response=PayoutProfileOut, auth=api_auth)
def put_payout_profile(request: HttpRequest, payload: PayoutProfileIn) -> PayoutProfileOut:
    """Save your payout & tax profile (the whole of it). Wrong values answer 422 with the
    field's error; nothing is saved then."""
    user = _helper(request)
    return _profile_out(user, payout_profile_save(actor=user, data=payload.dict()))


class PartnerStatementQuery(Schema):
    month: str = Field(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")


class PartnerStatementLineOut(Schema):
    booking_id: int
    helper_id: int | None
    booked_at: datetime
    amount_minor: int = Field(description="Negative for a refund or a correction.")
    kind: str = Field(description="job, refund (after a dispute) or correction")


class PartnerStatementOut(Schema):
    month: str
    currency: str
    lines: list[PartnerStatementLineOut]
    total_minor: int = Field(description="Your shares of the month's jobs, less refunds.")
    payments_minor: int = Field(description="Paid in the month (to Quartier or to helpers).")
    open_minor: int = Field(description="Owed at the month's end, all months together.")
    pays: str = Field(description="quartier (CHF: pay Quartier) or helpers (EUR: run the file)")
    address: list[str] = Field(description="Your address as the statement names it (EUR).")


def partner_statement_out(statement: PartnerStatement) -> PartnerStatementOut:
    return PartnerStatementOut(
        month=f"{statement.month:%Y-%m}",
        currency=statement.currency,
        lines=[
            PartnerStatementLineOut(
                booking_id=line.booking_id,
                helper_id=line.helper_id,
                booked_at=line.booked_at,
                amount_minor=line.amount_minor,
                kind=line.kind,
            )
            for line in statement.lines
        ],
        total_minor=statement.total_minor,
        payments_minor=statement.payments_minor,
        open_minor=statement.open_minor,
        pays="quartier" if statement.currency == "CHF" else "helpers",
        address=statement.address,
    )


def parse_month(text: str) -> date:
    try:
        month = date.fromisoformat(f"{text}-01")
    except ValueError:
        raise InvalidInput(
            "Give the month as YYYY-MM.", code="bad_month", errors={"month": ["YYYY-MM"]}
        ) from None
    return month


@partner_router.get("/partner/statements", response=list[PartnerStatementOut], summary="Statements")
@decorate_view(partner_view(idempotent=False))
def list_statements(
    request: HttpRequest, query: Query[PartnerStatementQuery]
) -> list[PartnerStatementOut]:
    """What you owe for a month, one statement per currency: your shares of the month's
    settled jobs by booking. CHF: pay Quartier's settlement account. EUR: pay the helpers
    directly with the pain.001 file from your partner dashboard."""
    partner, _ = current_partner(request)
    month = parse_month(query.month)
    return [partner_statement_out(s) for s in partner_statements(partner=partner, month=month)]


class PartnerStatementFileQuery(PartnerStatementQuery):
    format: Literal["csv", "pdf"] = Field(default="pdf", description="pdf or csv")


@partner_router.get(
    "/partner/statements/file",
    summary="Statement file",
    openapi_extra={
        "responses": {
            "200": {
                "content": {
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                    "text/csv": {"schema": {"type": "string"}},
                }
            }
        }
    },
)
@decorate_view(partner_view(idempotent=False))
def statement_file(request: HttpRequest, query: Query[PartnerStatementFileQuery]) -> HttpResponse:
    """The month's statements as a PDF (with the reference to pay by) or as CSV: the same
    figures as `GET /partner/statements`."""
    partner, _ = current_partner(request)
    month = parse_month(query.month)
    found = partner_statements(partner=partner, month=month)
    if query.format == "csv":
        response = HttpResponse(partner_statement_csv(found), content_type="text/csv")
    else:
        pdf = partner_statement_pdf(
            found,
            name=partner.name,
            iban=payout_iban("CHF"),
            language=translation.get_language() or "de",
        )
        response = HttpResponse(pdf, content_type="application/pdf")
    name = f"statement-{partner.slug}-{query.month}.{query.format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
