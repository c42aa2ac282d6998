"""Time one invoice PDF render (the slowest template: a CHF invoice with its QR-bill page,
and an EUR invoice with the § 35a block and an EPC QR), from a frozen snapshot.

Run: python -m bench.invoice_pdf [--runs N]   (Django settings are set up here)
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any


def snapshots() -> dict[str, dict[str, Any]]:
    from quartier.invoicing.payment import epc_qr, swiss_qr

    base: dict[str, Any] = {
        "kind": "customer_invoice",
        "title": "Rechnung",
        "number": "H12-2026-0001",
        "heading": "Rechnung im Namen und für Rechnung von Anna Muster",
        "agent_note": "Ausgestellt durch Quartier als direkte Stellvertreterin von Anna Muster.",
        "issued_on": "2026-12-05",
        "supplied_on": "2026-11-20",
        "language": "de",
        "issuer": {"name": "Anna Muster", "lines": ["Langstrasse 10", "CH-8004 Zürich"], "tax": []},
        "recipient": {"name": "Clara Kundin", "lines": ["Badenerstrasse 12", "CH-8004 Zürich"]},
        "lines": [
            {
                "kind": "labour",
                "label": f"Arbeit {i}",
                "quantity": "1",
                "unit_minor": 4000,
                "total_minor": 4000,
                "vat_rate": "0",
            }
            for i in range(3)
        ],
        "vat": [],
        "total_minor": 12000,
        "notes": [],
        "block_35a": None,
        "gaps": [],
    }
    address = {
        "name": "Anna Muster",
        "street": "Langstrasse",
        "house_num": "10",
        "pcode": "8004",
        "city": "Zürich",
        "country": "CH",
    }
    chf = base | {
        "currency": "CHF",
        "template": "ch_unregistered",
        "payment": {
            "texts": ["Zahlbar"],
            "qr": swiss_qr(
                account="CH9300762011623852957",
                creditor=address,
                debtor=None,
                amount_minor=12000,
                number="H12-2026-0001",
                message="Rechnung",
            ),
        },
    }
    eur = base | {
        "currency": "EUR",
        "template": "de_small_business",
        "payment": {
            "texts": ["Zahlbar"],
            "qr": epc_qr(
                name="Anna Muster",
                iban="DE89370400440532013000",
                amount_minor=12000,
                number="H12-2026-0001",
            ),
        },
        "block_35a": {"title": "§ 35a", "rows": [["Arbeitskosten", "120,00 €"]], "text": "unbar"},
    }
    return {"CHF + QR-bill": chf, "EUR + EPC QR + § 35a": eur}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")
    import django

    django.setup()
    from quartier.invoicing.pdf import render_pdf

    print(f"{'invoice':<24}{'median ms':>10}{'p90 ms':>9}{'first ms':>10}{'bytes':>9}")
    for name, snapshot in snapshots().items():
        times, size = [], 0
        for _ in range(args.runs):
            started = time.perf_counter()
            size = len(render_pdf(snapshot))
            times.append((time.perf_counter() - started) * 1000)
        p90 = statistics.quantiles(times, n=10)[-1] if len(times) > 1 else times[0]
        print(f"{name:<24}{statistics.median(times):>10.1f}{p90:>9.1f}{times[0]:>10.1f}{size:>9}")


if __name__ == "__main__":
    main()
