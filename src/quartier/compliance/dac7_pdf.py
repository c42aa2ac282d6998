"""The seller's yearly DAC7 statement as a PDF (reportlab, standard fonts, A4), in the
seller's language: what Quartier reports about them and the figures per quarter."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from quartier.money import Money

from .dac7_figures import QUARTERS, SellerYear
from .labels import gap_words

_STYLES = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=_STYLES["Normal"], fontName="Helvetica", fontSize=9.5)
TITLE = ParagraphStyle("title", parent=BODY, fontName="Helvetica-Bold", fontSize=15, leading=19)


def _labels() -> dict[str, str]:
    return {
        "name": _("Name"),
        "address": _("Address"),
        "residence": _("States of residence"),
        "tins": _("Tax identification numbers"),
        "date_of_birth": _("Date of birth"),
        "place_of_birth": _("Place of birth"),
        "vat_id": _("VAT ID"),
        "register_number": _("Business register number"),
        "iban": _("IBAN"),
        "account_holder_if_different": _("Account holder"),
    }


def _table(rows: list[list[str]], header: bool = False) -> Table:
    table = Table(rows, hAlign="LEFT")
    style: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style += [
            ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
            ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
        ]
    table.setStyle(TableStyle(style))
    return table


def statement_pdf(
    *, identity: dict[str, str], figures: SellerYear, missing: list[str], language: str
) -> bytes:
    out = io.BytesIO()
    with translation.override(language):
        doc = SimpleDocTemplate(
            out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, title="DAC7"
        )
        year = figures.year
        story: list[object] = [
            Paragraph(
                escape(_("Platform tax report %(year)s (DAC7 / PStTG)") % {"year": year}), TITLE
            ),
            Spacer(1, 4 * mm),
            Paragraph(
                escape(
                    _(
                        "Quartier reports the following to the German Federal Central Tax "
                        "Office (BZSt), which may pass it on to the states you are resident in."
                    )
                ),
                BODY,
            ),
            Spacer(1, 4 * mm),
            _table([[label, identity.get(key, "")] for key, label in _labels().items()]),
            Spacer(1, 6 * mm),
        ]
        rows = _figure_rows(figures)
        story += [
            _table(rows, header=True),
            Spacer(1, 4 * mm),
            Paragraph(
                escape(
                    _(
                        "Consideration: what you were paid for your jobs, tips included, "
                        "refunds deducted, less Quartier's commission and fees. Fees: the "
                        "commission and fees with VAT. Activities: jobs settled."
                    )
                ),
                BODY,
            ),
        ]
        if missing:
            words = ", ".join(str(w) for w in gap_words(missing))
            story += [
                Spacer(1, 4 * mm),
                Paragraph(escape(_("Still missing: %(gaps)s") % {"gaps": words}), BODY),
            ]
        doc.build(story)
    return out.getvalue()


def _figure_rows(figures: SellerYear) -> list[list[str]]:
    currency = figures.currency
    rows = [[_("Quarter"), _("Currency"), _("Consideration"), _("Fees"), _("Activities")]]
    for q in QUARTERS:
        quarter = figures.quarters[q]
        rows.append(
            [
                f"Q{q}",
                currency,
                str(Money(quarter.consideration, currency).amount),
                str(Money(quarter.fees, currency).amount),
                str(quarter.activities),
            ]
        )
    rows.append(
        [
            _("Year"),
            currency,
            str(Money(figures.consideration, currency).amount),
            str(Money(figures.fees, currency).amount),
            str(figures.activities),
        ]
    )
    return rows
