"""Gap-free invoice numbers per issuer series and year.

The counter row is locked (`select_for_update`) inside the issuing transaction: a second
issuer of the same series waits until the first commits or rolls back, so a number is used
exactly when its invoice is stored, and a rolled-back issue gives its number back.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from .models import InvoiceCounter

QUARTIER_SERIES = "Q"


def helper_series(helper_id: int) -> str:
    return f"H{helper_id}"


def number_format(series: str, year: int, sequence: int) -> str:
    if series == QUARTIER_SERIES:
        return f"Q-{year}-{sequence:06d}"
    return f"{series}-{year}-{sequence:04d}"


def number_take(*, series: str, year: int) -> str:
    """The next number of the series; call inside the transaction that stores the invoice."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Take an invoice number only inside the issuing transaction.")
    counter = _locked_counter(series, year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return number_format(series, year, counter.last)


def _locked_counter(series: str, year: int) -> InvoiceCounter:
    counters = InvoiceCounter.objects.select_for_update()
    counter = counters.filter(series=series, year=year).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():  # the first of a series and year: create, then lock
            InvoiceCounter.objects.create(series=series, year=year)
    except IntegrityError:
        pass  # another transaction created it first
    return counters.get(series=series, year=year)
