"""Statements as PDFs — the helper's month or year, a partner's month — with exactly the
figures of their CSVs: the table rows are the CSV's rows, cell for cell (same decimals), so
a bookkeeper can tick one off against the other. A helper's year adds the totals a tax
return needs (earnings, refunds, commission and its VAT as business expenses, tips, net,
paid out, open). Drawn with reportlab's standard fonts, A4 landscape.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .partner_statements import PartnerStatement, partner_statement_csv
from .statements import HelperStatement, StatementTotals, statement_csv

_BASE = getSampleStyleSheet()["Normal"]
BODY = ParagraphStyle("st-body", parent=_BASE, fontName="Helvetica", fontSize=8, leading=10)
BOLD = ParagraphStyle("st-bold", parent=BODY, fontName="Helvetica-Bold")
TITLE = ParagraphStyle("st-title", parent=BODY, fontName="Helvetica-Bold", fontSize=14, leading=18)


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _table(rows: list[list[str]], numeric_from: int) -> Table:
    body = [
        [Paragraph(cell, BOLD if i == 0 else BODY) for cell in row] for i, row in enumerate(rows)
    ]
    table = Table(body, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _pdf(title: str, story: list[Flowable]) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author="Quartier",
    )
    doc.build([Paragraph(title, TITLE), Spacer(1, 4 * mm), *story])
    return out.getvalue()


def _tax_totals(total: StatementTotals) -> Table:
    """The year's (or month's) figures per currency, as a tax return asks for them."""
    rows: Sequence[tuple[str, Any]] = (
        (_("Jobs settled"), total.jobs),
        (_("Earnings from jobs (gross)"), total.gross.amount),
        (_("Refunds after disputes"), total.refunds.amount),
        (_("Quartier's commission (business expense)"), total.commission.amount),
        (_("VAT on the commission"), total.vat.amount),
        (_("Tips"), total.tips.amount),
        (_("Fees"), total.fees.amount),
        (_("Net"), total.net.amount),
        (_("Paid out by Quartier"), total.paid_out.amount),
        (
            _("Open at the period's end (you owe Quartier; negative: Quartier owes you)"),
            total.open.amount,
        ),
    )
    header = [Paragraph(_("Totals in %(currency)s") % {"currency": total.currency}, BOLD), ""]
    table = Table(
        [header, *([Paragraph(label, BODY), Paragraph(str(value), BODY)] for label, value in rows)],
        colWidths=[150 * mm, 40 * mm],
    )
    table.setStyle(
        TableStyle(
            [("ALIGN", (1, 0), (1, -1), "RIGHT"), ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black)]
        )
    )
    return table


def helper_statement_pdf(statement: HelperStatement, *, name: str, language: str) -> bytes:
    with translation.override(language):
        period = (
            f"{statement.month:02d}/{statement.year}" if statement.month else str(statement.year)
        )
        title = _("Earnings statement %(period)s: %(name)s") % {"period": period, "name": name}
        story: list[Flowable] = [_table(_rows(statement_csv(statement)), 4), Spacer(1, 6 * mm)]
        if not statement.totals:
            story.append(Paragraph(_("No jobs or payments in this period."), BODY))
        for total in statement.totals.values():
            story += [_tax_totals(total), Spacer(1, 4 * mm)]
        story.append(
            Paragraph(
                _(
                    "From Quartier's ledger. You are an independent contractor: declare your "
                    "earnings yourself; the commission and its VAT are your business expenses."
                ),
                BODY,
            )
        )
        return _pdf(title, story)


def partner_statement_pdf(
    statements: list[PartnerStatement], *, name: str, iban: str, language: str
) -> bytes:
    with translation.override(language):
        month = statements[0].month if statements else None
        title = _("Statement %(month)s: %(name)s") % {
            "month": f"{month:%m/%Y}" if month else "",
            "name": name,
        }
        story: list[Flowable] = [_table(_rows(partner_statement_csv(statements)), 4)]
        for statement in statements:
            story.append(Spacer(1, 4 * mm))
            if statement.reference:
                text = _(
                    "Please pay %(amount)s %(currency)s to Quartier's settlement account "
                    "%(iban)s with the reference %(reference)s."
                ) % {
                    "amount": max(statement.open_minor, 0) / 100,
                    "currency": statement.currency,
                    "iban": iban,
                    "reference": statement.reference,
                }
            else:
                text = _("You pay the helpers directly with the payment file (%(currency)s).") % {
                    "currency": statement.currency
                }
            story.append(Paragraph(text, BODY))
            if statement.address:
                story.append(Paragraph(", ".join(statement.address), BODY))
        return _pdf(title, story)
