"""Payout run for many helpers: time and file size of `payouts_run` (one pain.001.001.09 file,
validated against the XSD), and of the run right after it (which must pay nothing).

Run: python -m bench.payouts [--helpers 10000] [--backends sqlite,postgres]

Each backend runs in its own process on a fresh database (SQLite file under --tmp, or the
PostgreSQL database `quartier_bench_payouts`, dropped and re-created), migrated, then
bulk-loaded: N helpers with complete payout profiles, each owed one partner-paid share.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/quartier_bench_payouts"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--helpers", type=int, default=10_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG_URL))
    parser.add_argument("--tmp", type=Path, default=Path("/tmp/quartier-bench-payouts"))
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _load(helpers: int) -> None:
    """N helpers, complete profiles, one partner share each (bulk, not through services)."""
    from django.utils import timezone

    from quartier.accounts.models import User
    from quartier.partners.models import Partner
    from quartier.payments import chart
    from quartier.payments.mandate import MANDATE_VERSION
    from quartier.payments.models import (
        LedgerAccount,
        LedgerEntry,
        LedgerTransaction,
        PayoutProfile,
    )

    now = timezone.now()
    partner = Partner.objects.create(name="Bench", slug="bench", contact_email="b@example.com")
    users = User.objects.bulk_create(
        User(email=f"h{i}@bench.example", full_name=f"Helper {i}", is_helper=True)
        for i in range(helpers)
    )
    PayoutProfile.objects.bulk_create(
        PayoutProfile(
            user=user, legal_name=user.full_name, street="Dorfstrasse",
            house_number=str(i % 90 + 1),
            postcode="3000", town="Bern", country="CH", iban="CH5604835012345678009",
            account_holder=user.full_name, vat_status="ch_unregistered",
            mandate_signed_at=now, mandate_version=MANDATE_VERSION,
        )
        for i, user in enumerate(users)
    )  # fmt: skip
    specs = [chart.partner_receivable(partner.pk, "CHF"), chart.commission_revenue("CHF")]
    specs += [chart.helper_payable(user.pk, "CHF") for user in users]
    LedgerAccount.objects.bulk_create(
        LedgerAccount(code=s.code, kind=s.kind, currency=s.currency, owner_kind=s.owner_kind,
                      owner_id=s.owner_id)
        for s in specs
    )  # fmt: skip
    account = dict(LedgerAccount.objects.values_list("code", "id"))
    transactions = LedgerTransaction.objects.bulk_create(
        LedgerTransaction(event_key=f"bench:{i}", kind="job.settled", booked_at=now,
                          subject=f"booking:{i}")
        for i in range(helpers)
    )  # fmt: skip
    entries = []
    for i, (user, booked) in enumerate(zip(users, transactions, strict=True)):
        price = 5000 + (i % 200) * 50
        commission = price * 15 // 100
        for spec, amount in (
            (specs[0], price),
            (specs[1], -commission),
            (chart.helper_payable(user.pk, "CHF"), commission - price),
        ):
            entries.append(
                LedgerEntry(transaction=booked, account_id=account[spec.code],
                            amount_minor=amount, currency="CHF")
            )  # fmt: skip
    LedgerEntry.objects.bulk_create(entries, batch_size=5000)


def _worker(job_path: str) -> None:
    job = json.loads(Path(job_path).read_text())
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    _load(job["helpers"])
    load_s = time.perf_counter() - started

    from quartier.payments.payouts import payouts_run

    started = time.perf_counter()
    result = payouts_run(currency="CHF")
    run_s = time.perf_counter() - started
    run = result.run
    assert run is not None, result
    assert run.item_count == job["helpers"], result
    started = time.perf_counter()
    again = payouts_run(currency="CHF")
    again_s = time.perf_counter() - started
    assert again.run is None
    out = {
        "load_s": load_s,
        "run_s": run_s,
        "again_s": again_s,
        "items": run.item_count,
        "file_bytes": len(run.document.encode()),
    }
    Path(job["result"]).write_text(json.dumps(out))


def _recreate_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def _run(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    args.tmp.mkdir(parents=True, exist_ok=True)
    job_path = args.tmp / f"{backend}.job.json"
    result_path = args.tmp / f"{backend}.result.json"
    result_path.unlink(missing_ok=True)
    job_path.write_text(json.dumps({"helpers": args.helpers, "result": str(result_path)}))
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "quartier.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-secret",
        "QUARTIER_VAR_DIR": str(args.tmp / "var"),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    }
    if backend == "sqlite":
        db = args.tmp / "payouts.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{db}"
    else:
        try:
            _recreate_postgres(args.pg_url)
        except Exception as error:  # no server: skip the row, say why
            return {"failed": f"PostgreSQL unreachable ({type(error).__name__})"}
        env["DATABASE_URL"] = args.pg_url
    done = subprocess.run(
        [sys.executable, "-m", "bench.payouts", "--worker", str(job_path)],
        env=env,
        cwd=ROOT,
        check=False,
    )
    if done.returncode or not result_path.exists():
        return {"failed": f"exit status {done.returncode}"}
    result: dict[str, Any] = json.loads(result_path.read_text())
    return result


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    if args.worker:
        _worker(args.worker)
        return
    print(f"\nPayout run, {args.helpers:,} helpers owed one share each (CHF, one pain.001 file)")
    print(f"{'backend':<10}{'load s':>9}{'run s':>9}{'per helper ms':>15}{'file MB':>10}"
          f"{'2nd run s':>11}")  # fmt: skip
    for backend in args.backends.split(","):
        row = _run(backend, args)
        if "failed" in row:
            print(f"{backend:<10}  {row['failed']}")
            continue
        print(
            f"{backend:<10}{row['load_s']:>9.1f}{row['run_s']:>9.1f}"
            f"{1000 * row['run_s'] / row['items']:>15.2f}{row['file_bytes'] / 2**20:>10.2f}"
            f"{row['again_s']:>11.2f}"
        )


if __name__ == "__main__":
    main()
