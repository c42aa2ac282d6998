"""Payments API: your own statement (month or year) from the ledger, as JSON or CSV."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Field, Query, Router, Schema

from quartier.accounts.auth import api_auth, current_user

from .statement_pdf import helper_statement_pdf
from .statements import HelperStatement, StatementLine, StatementTotals, helper_statement
from .statements import statement_csv as csv_of

router = Router(tags=["payments"])


class StatementQuery(Schema):
    year: int = Field(ge=2000, le=2100)
    month: int | None = Field(default=None, ge=1, le=12, description="Without: the year.")
    format: Literal["json", "csv"] = Field(default="json", description="csv: text/csv.")


class StatementTotalsOut(Schema):
    currency: str
    jobs: int
    gross_minor: int = Field(description="The settled jobs' prices (tips excluded).")
    refunds_minor: int
    commission_minor: int = Field(description="Net of what refunds gave back.")
    vat_minor: int = Field(description="VAT on the commission.")
    tips_minor: int
    fees_minor: int
    partner_share_minor: int = Field(description="What partners pay (Quartier owes it you).")
    net_minor: int = Field(description="gross - refunds - commission - VAT + tips - fees.")
    paid_out_minor: int
    open_minor: int = Field(
        description="At the period's end: what you owe Quartier (negative: what it owes you)."
    )


class StatementLineOut(Schema):
    booking_id: int
    booked_at: datetime
    method: str = Field(description="transfer, cash, partner; empty for a later refund only.")
    currency: str
    gross_minor: int
    tip_minor: int
    partner_share_minor: int
    refund_minor: int
    commission_minor: int
    vat_minor: int
    net_minor: int


class StatementOut(Schema):
    year: int
    month: int | None
    starts_at: datetime
    ends_at: datetime = Field(description="Exclusive.")
    totals: list[StatementTotalsOut]
    lines: list[StatementLineOut]


def _totals_out(t: StatementTotals) -> StatementTotalsOut:
    return StatementTotalsOut(
        currency=t.currency,
        jobs=t.jobs,
        gross_minor=t.gross.minor,
        refunds_minor=t.refunds.minor,
        commission_minor=t.commission.minor,
        vat_minor=t.vat.minor,
        tips_minor=t.tips.minor,
        fees_minor=t.fees.minor,
        partner_share_minor=t.partner_share.minor,
        net_minor=t.net.minor,
        paid_out_minor=t.paid_out.minor,
        open_minor=t.open.minor,
    )


def _line_out(line: StatementLine) -> StatementLineOut:
    a = line.amounts
    return StatementLineOut(
        booking_id=line.booking_id,
        booked_at=line.booked_at,
        method=line.method,
        currency=line.currency,
        gross_minor=a.gross,
        tip_minor=a.tip,
        partner_share_minor=a.partner_share,
        refund_minor=a.refund,
        commission_minor=a.commission,
        vat_minor=a.vat,
        net_minor=a.net,
    )


def statement_out(s: HelperStatement) -> StatementOut:
    return StatementOut(
        year=s.year,
        month=s.month,
        starts_at=s.starts_at,
        ends_at=s.ends_at,
        totals=[_totals_out(t) for t in s.totals.values()],
        lines=[_line_out(line) for line in s.lines],
    )


@router.get(
    "/me/statement",
    response=StatementOut,
    auth=api_auth,
    openapi_extra={"responses": {"200": {"content": {"text/csv": {"schema": {"type": "string"}}}}}},
)
def get_statement(
    request: HttpRequest, query: Query[StatementQuery]
) -> StatementOut | HttpResponse:
    """Your statement from the ledger for a month (or, without `month`, a year): per currency
    gross, refunds, commission and its VAT, tips, fees, net, paid out and open, and one line
    per booking. `format=csv` gives the same as `text/csv`."""
    statement = helper_statement(helper=current_user(request), year=query.year, month=query.month)
    if query.format == "csv":
        name = f"statement-{query.year}" + (f"-{query.month:02d}" if query.month else "")
        response = HttpResponse(csv_of(statement), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    return statement_out(statement)


class StatementPdfQuery(Schema):
    year: int = Field(ge=2000, le=2100)
    month: int | None = Field(default=None, ge=1, le=12, description="Without: the year.")


@router.get(
    "/me/statement/pdf",
    auth=api_auth,
    openapi_extra={
        "responses": {
            "200": {
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
            }
        }
    },
)
def get_statement_pdf(request: HttpRequest, query: Query[StatementPdfQuery]) -> HttpResponse:
    """Your statement as a PDF: the CSV's rows and figures, plus the totals per currency a
    tax return asks for (a year without `month`)."""
    user = current_user(request)
    statement = helper_statement(helper=user, year=query.year, month=query.month)
    pdf = helper_statement_pdf(
        statement, name=user.full_name, language=translation.get_language() or "de"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"statement-{query.year}" + (f"-{query.month:02d}" if query.month else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
