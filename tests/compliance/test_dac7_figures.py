"""A year of random jobs (seeded): the sellers' DAC7 figures per quarter — from the ledger,
through payments' statements — equal an independent tally of the generated jobs, and the
`quartier dac7 report` command writes them for every reportable seller (never a Swiss one)."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from math import floor
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from quartier.compliance.dac7_figures import seller_year
from quartier.events import record_event
from quartier.payments.handlers import on_dispute_resolved, on_job_settled
from tests.compliance.sellers import complete_tax_data, seller

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
YEAR = 2025
RATE = {"DE": Fraction(12, 100), "CH": Fraction(15, 100)}
VAT = {"DE": Fraction(19, 100), "CH": Fraction(81, 1000)}


@pytest.fixture(autouse=True)
def rates(settings):
    settings.QUARTIER_COMMISSION = {"default": "0.15", "DE": {"default": "0.12"}}
    settings.QUARTIER_VAT_REGISTERED = True
    settings.QUARTIER_COMMISSION_VAT = {"CH": "8.1", "DE": "19"}


@dataclass(frozen=True)
class Job:
    booking_id: int
    settled_at: datetime
    price: int
    tip: int
    refund: int
    refunded_at: datetime


def generate(rng: random.Random, first_id: int, count: int) -> list[Job]:
    """Jobs over the year, two of them on either side of the Q1/Q2 midnight in Berlin; a
    quarter of them partly refunded up to 40 days later (perhaps in the next quarter or
    year)."""
    start = datetime(YEAR, 1, 1, tzinfo=BERLIN)
    times = [
        datetime(YEAR, 3, 31, 23, 59, tzinfo=BERLIN),
        datetime(YEAR, 4, 1, 0, 1, tzinfo=BERLIN),
    ]
    times += [start + timedelta(minutes=rng.randrange(365 * 24 * 60)) for _ in range(count - 2)]
    jobs = []
    for i, when in enumerate(times):
        price = rng.randrange(500, 60_000)
        refund = rng.randrange(1, price + 1) if rng.random() < 0.25 else 0
        jobs.append(
            Job(
                booking_id=first_id + i,
                settled_at=when,
                price=price,
                tip=rng.choice([0, 0, rng.randrange(100, 3000)]),
                refund=refund,
                refunded_at=when + timedelta(days=rng.randrange(0, 41), minutes=1),
            )
        )
    return jobs


def book(jobs: list[Job], helper_id: int, country: str) -> None:
    """Settle each job (and its refund) as the ledger's event handlers do."""
    currency = "EUR" if country == "DE" else "CHF"
    for job in jobs:
        settled = record_event(
            "job.settled", booking_id=job.booking_id, request_id=0, helper_id=helper_id,
            customer_id=None, price_minor=job.price, tip_minor=job.tip, currency=currency,
            settled_at=job.settled_at.isoformat(), market=country, skill="cleaning",
            category="home", helper_country=country, method="transfer",
        )  # fmt: skip
        on_job_settled(settled)
        if job.refund:
            resolved = record_event(
                "dispute.resolved", dispute_id=job.booking_id, booking_id=job.booking_id,
                request_id=0, by_user_id=1, refund_minor=job.refund,
                resolved_at=job.refunded_at.isoformat(),
            )  # fmt: skip
            on_dispute_resolved(resolved)


def half_up(value: Fraction) -> int:
    return floor(value + Fraction(1, 2))


def quarter_of(when: datetime) -> int | None:
    local = when.astimezone(BERLIN)
    return (local.month - 1) // 3 + 1 if local.year == YEAR else None


def tally(jobs: list[Job], country: str) -> dict[int, tuple[int, int, int]]:
    """Per quarter (consideration, fees, activities), from the generated jobs alone."""
    sums = {q: [0, 0, 0] for q in (1, 2, 3, 4)}
    for job in jobs:
        commission = half_up(job.price * RATE[country])
        vat = half_up(commission * VAT[country])
        if (q := quarter_of(job.settled_at)) is not None:
            sums[q][0] += job.price + job.tip - commission - vat
            sums[q][1] += commission + vat
            sums[q][2] += 1
        if job.refund and (q := quarter_of(job.refunded_at)) is not None:
            kept = Fraction(job.price - job.refund, job.price)
            back = (commission - half_up(commission * kept)) + (vat - half_up(vat * kept))
            sums[q][0] -= job.refund - back
            sums[q][1] -= back
    return {q: (c, f, n) for q, (c, f, n) in sums.items()}


@pytest.mark.parametrize("seed", [7, 2025, 90210])
def test_yearly_figures_equal_an_independent_tally_of_the_jobs(seed, tmp_path):
    rng = random.Random(seed)
    german, other_german, swiss = seller("DE"), seller("DE"), seller("CH")
    complete_tax_data(german)  # `other_german` still lacks data: the report says what
    jobs = {
        german.pk: generate(rng, 1000, 40),
        other_german.pk: generate(rng, 2000, 12),
        swiss.pk: generate(rng, 3000, 8),
    }
    book(jobs[german.pk], german.pk, "DE")
    book(jobs[other_german.pk], other_german.pk, "DE")
    book(jobs[swiss.pk], swiss.pk, "CH")

    for helper in (german, other_german):
        expected = tally(jobs[helper.pk], "DE")
        figures = seller_year(helper=helper, year=YEAR)["EUR"]
        got = {q: (v.consideration, v.fees, v.activities) for q, v in figures.quarters.items()}
        assert got == expected

    call_command(
        "dac7", "report", "--year", str(YEAR), "--out", str(tmp_path), stdout=io.StringIO()
    )
    rows = list(csv.DictReader(io.StringIO((tmp_path / f"dac7-{YEAR}-platform.csv").read_text())))
    assert {row["seller_id"] for row in rows} == {str(german.pk), str(other_german.pk)}
    for row in rows:
        expected = tally(jobs[int(row["seller_id"])], "DE")
        for q, (consideration, fees, activities) in expected.items():
            assert Decimal(row[f"q{q}_consideration"]) == Decimal(consideration) / 100
            assert Decimal(row[f"q{q}_fees"]) == Decimal(fees) / 100
            assert int(row[f"q{q}_activities"]) == activities
    by_id = {row["seller_id"]: row for row in rows}
    assert by_id[str(german.pk)]["missing"] == ""
    assert by_id[str(german.pk)]["tins"] == "DE:86095742719"
    assert by_id[str(other_german.pk)]["missing"] == "date_of_birth;tin;residence"

    pdf = tmp_path / f"dac7-{YEAR}-seller-{german.pk}-EUR.pdf"
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    year_total = sum(c for c, _, _ in tally(jobs[german.pk], "DE").values())
    assert str(Decimal(year_total) / 100) in text
    assert "Max Beispiel" in text
    assert (tmp_path / f"dac7-{YEAR}-seller-{german.pk}-EUR.csv").exists()
    assert not list(tmp_path.glob(f"dac7-{YEAR}-seller-{swiss.pk}-*"))


def test_the_report_command_refuses_a_year_before_the_law_and_a_file_as_directory(tmp_path):
    with pytest.raises(CommandError, match="2023"):
        call_command("dac7", "report", "--year", "2019", "--out", str(tmp_path))
    not_a_dir = tmp_path / "file.txt"
    not_a_dir.write_text("x")
    with pytest.raises(CommandError, match="not a directory"):
        call_command("dac7", "report", "--year", str(YEAR), "--out", str(not_a_dir))
    assert not_a_dir.read_text() == "x"
