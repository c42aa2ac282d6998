"""The helper's earnings: their statement from the ledger for a month or a year, with a
line per booking and a CSV download (replaces the old list of completed jobs)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext

from quartier.payments.statement_pdf import helper_statement_pdf
from quartier.payments.statements import helper_statement, statement_csv

from ..access import actor_of, role_view

helper_view = role_view("helper")

#: How many years back the switcher offers (the ledger started in 2026).
YEARS_BACK = 5


def _period(query: QueryDict, today: date) -> tuple[int, int | None, bool]:
    """(year, month or None for the whole year, whether the asked period was readable)."""
    if "year" not in query:
        return today.year, today.month, True
    try:
        year = int(query.get("year") or "")
        month = int(query.get("month") or 0) or None
    except ValueError:
        return today.year, today.month, False
    if not (today.year - YEARS_BACK <= year <= today.year) or not (
        month is None or 1 <= month <= 12
    ):
        return today.year, today.month, False
    return year, month, True


def _neighbours(
    year: int, month: int | None
) -> tuple[tuple[int, int | None], tuple[int, int | None]]:
    if month is None:
        return (year - 1, None), (year + 1, None)
    before = (year - 1, 12) if month == 1 else (year, month - 1)
    after = (year + 1, 1) if month == 12 else (year, month + 1)
    return before, after


@helper_view
def earnings(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year, month, readable = _period(request.GET, today)
    if not readable:
        messages.error(request, gettext("Choose a month and a year from the list."))
    statement = helper_statement(helper=actor_of(request), year=year, month=month)
    wanted = request.GET.get("format")
    if wanted in ("csv", "pdf") and readable:
        name = f"quartier-{year}" + (f"-{month:02d}" if month else "")
        helper = actor_of(request)
        response = (
            HttpResponse(statement_csv(statement), content_type="text/csv; charset=utf-8")
            if wanted == "csv"
            else HttpResponse(
                helper_statement_pdf(
                    statement,
                    name=helper.full_name,
                    language=translation.get_language() or "de",
                ),
                content_type="application/pdf",
            )
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.{wanted}"'
        return response
    before, after = _neighbours(year, month)
    first_year = today.year - YEARS_BACK
    return render(
        request,
        "web/helper/earnings.html",
        {
            "statement": statement,
            "period_start": date(year, month or 1, 1),
            "years": list(range(today.year, first_year - 1, -1)),
            "months": [date(2000, m, 1) for m in range(1, 13)],
            "before": before if before[0] >= first_year else None,
            "after": after if date(after[0], after[1] or 1, 1) <= today else None,
        },
    )
