"""The yearly DAC7 documents: a statement per reportable seller (CSV and PDF, to be handed
to them by 31 January, § 14 Abs. 4 PStTG analogous) and the platform's report as CSV (one
row per reportable seller: the § 14 data, the quarterly figures and what is still missing).

The XML data set for the Federal Central Tax Office (BZSt) is not built yet.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from quartier.accounts.models import User
from quartier.money import Money

from .dac7_data import SellerData, dac7_gaps, seller_data
from .dac7_figures import QUARTERS, SellerYear, seller_year, sellers_with_ledger_in
from .dac7_pdf import statement_pdf


@dataclass(frozen=True, slots=True)
class ReportableSeller:
    data: SellerData
    figures: SellerYear
    missing: list[str]


def reportable_sellers(year: int) -> list[ReportableSeller]:
    """Sellers resident in an EU member state who were active in `year` (services: no
    de-minimis exemption), one entry per currency they earned in."""
    found: list[ReportableSeller] = []
    for user in User.objects.filter(pk__in=sellers_with_ledger_in(year)).order_by("pk"):
        data = seller_data(user)
        if not data.reportable:
            continue
        for figures in seller_year(helper=user, year=year).values():
            found.append(ReportableSeller(data, figures, dac7_gaps(data)))
    return found


def _amount(minor: int, currency: str) -> str:
    return str(Money(minor, currency).amount)


def _identity(data: SellerData) -> dict[str, str]:
    payout, tax = data.payout, data.tax
    holder = payout.account_holder if payout.account_holder != payout.legal_name else ""
    return {
        "seller_id": str(data.user.pk),
        "kind": "entity" if tax.is_entity else "person",
        "name": payout.legal_name,
        "address": " ".join(
            filter(None, [payout.street, payout.house_number, payout.postcode, payout.town])
        ),
        "address_country": payout.country,
        "residence": ";".join(data.residence),
        "tins": ";".join(f"{t['country']}:{t['tin']}" for t in tax.tins),
        "date_of_birth": tax.date_of_birth.isoformat() if tax.date_of_birth else "",
        "place_of_birth": ", ".join(filter(None, [tax.birth_town, tax.birth_country])),
        "vat_id": payout.vat_id,
        "register_number": tax.register_number,
        "iban": payout.iban,
        "account_holder_if_different": holder,
    }


def _figures(figures: SellerYear) -> dict[str, str]:
    row = {"currency": figures.currency}
    for q in QUARTERS:
        quarter = figures.quarters[q]
        row[f"q{q}_consideration"] = _amount(quarter.consideration, figures.currency)
        row[f"q{q}_fees"] = _amount(quarter.fees, figures.currency)
        row[f"q{q}_activities"] = str(quarter.activities)
    row["year_consideration"] = _amount(figures.consideration, figures.currency)
    row["year_fees"] = _amount(figures.fees, figures.currency)
    row["year_activities"] = str(figures.activities)
    return row


def platform_csv(sellers: list[ReportableSeller]) -> str:
    """The platform's report: one row per reportable seller (and currency)."""
    rows = [
        _identity(s.data) | _figures(s.figures) | {"missing": ";".join(s.missing)} for s in sellers
    ]
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


def statement_csv(seller: ReportableSeller) -> str:
    """The seller's statement as CSV: what is reported about them, then one row per quarter."""
    out = io.StringIO()
    writer = csv.writer(out)
    for key, value in _identity(seller.data).items():
        writer.writerow([key, value])
    writer.writerow([])
    writer.writerow(["quarter", "currency", "consideration", "fees", "activities"])
    currency = seller.figures.currency
    for q in QUARTERS:
        quarter = seller.figures.quarters[q]
        writer.writerow(
            [
                f"Q{q}",
                currency,
                _amount(quarter.consideration, currency),
                _amount(quarter.fees, currency),
                quarter.activities,
            ]
        )
    return out.getvalue()


def report_write(*, year: int, out: Path) -> list[Path]:
    """Write the platform CSV and every reportable seller's statement (CSV, PDF) to `out`;
    returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    sellers = reportable_sellers(year)
    written = [out / f"dac7-{year}-platform.csv"]
    written[0].write_text(platform_csv(sellers), encoding="utf-8")
    for seller in sellers:
        stem = f"dac7-{year}-seller-{seller.data.user.pk}-{seller.figures.currency}"
        csv_path, pdf_path = out / f"{stem}.csv", out / f"{stem}.pdf"
        csv_path.write_text(statement_csv(seller), encoding="utf-8")
        pdf_path.write_bytes(
            statement_pdf(
                identity=_identity(seller.data),
                figures=seller.figures,
                missing=seller.missing,
                language=seller.data.user.preferred_language or "de",
            )
        )
        written += [csv_path, pdf_path]
    return written
