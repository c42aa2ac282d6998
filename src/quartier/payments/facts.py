"""The facts about a settled job the ledger needs, gathered in one place.

The `job.settled` event carries the booking, the parties, the price and the time. The
market (the job's country), the skill and its category pick the commission rate; the
helper's country picks the VAT on it. When the event carries them (`market`, `skill`,
`category`, `helper_country`) they are taken from it; otherwise they are read from the
request and the helper's profile, which bookings and accounts own — a read of facts that do
not change once a job is settled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quartier.accounts.models import HelperProfile
from quartier.jobs.models import JobRequest

#: Our markets follow the currency when nothing else says where a job was.
MARKET_BY_CURRENCY = {"CHF": "CH", "EUR": "DE"}


@dataclass(frozen=True, slots=True)
class JobFacts:
    booking_id: int
    helper_id: int
    market: str
    skill: str
    category: str
    helper_country: str


def job_facts(payload: dict[str, Any]) -> JobFacts:
    known = {
        key: payload[key]
        for key in ("market", "skill", "category", "helper_country")
        if payload.get(key)
    }
    if len(known) < 4:
        row = (
            JobRequest.objects.filter(pk=int(payload.get("request_id") or 0))
            .values("country", "skill__slug", "skill__category__slug")
            .first()
        )
        request: dict[str, Any] = dict(row) if row else {}
        helper_country = (
            HelperProfile.objects.filter(user_id=payload["helper_id"])
            .values_list("country", flat=True)
            .first()
        )
        market = request.get("country") or MARKET_BY_CURRENCY[payload["currency"]]
        known = {
            "market": market,
            "skill": request.get("skill__slug") or "",
            "category": request.get("skill__category__slug") or "",
            "helper_country": helper_country or market,
        } | known
    return JobFacts(
        booking_id=int(payload["booking_id"]),
        helper_id=int(payload["helper_id"]),
        market=str(known["market"]),
        skill=str(known["skill"]),
        category=str(known["category"]),
        helper_country=str(known["helper_country"]),
    )
