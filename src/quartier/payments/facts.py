"""The facts about a settled job the ledger needs, gathered in one place.

The `job.settled` event carries the booking, the parties, the price and the time. The
market (the job's country), the skill and its category pick the commission rate; the
helper's country picks the VAT on it. When the event carries them (`market`, `skill`,
`category`, `helper_country`) they are taken from it; otherwise they are read from the
request and the helper's profile, which bookings and accounts own — a read of facts that do
not change once a job is settled.

Payload v2 adds how the job is paid (`SettledJob`): the tip, the method and the partner's
share. An event without them (v1) is a job the customer paid the helper by transfer, with
no tip and no partner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quartier.accounts.models import HelperProfile
from quartier.errors import Conflict
from quartier.jobs.models import JobRequest
from quartier.money import CURRENCIES, Money

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


#: How the customer's share of a job is paid (`partner`: the partner pays all of it; `card`,
#: `twint`: through the payment provider, see quartier.cards).
METHODS = ("transfer", "cash", "partner", "card", "twint")


class BadSettlement(Conflict):
    """A `job.settled` payload the ledger cannot book as it stands (nothing is written; the
    event waits, and its handler's later events behind it, until it is corrected)."""

    code = "ledger_bad_settlement"


@dataclass(frozen=True, slots=True)
class SettledJob:
    facts: JobFacts
    price: Money  # gross, what the job costs without the tip
    tip: Money
    method: str
    partner_id: int | None
    partner_share: Money
    settled_at: datetime

    @property
    def customer_share(self) -> Money:
        """What the customer pays the helper directly (nothing when the partner pays all)."""
        return self.price - self.partner_share + self.tip


def _minor(payload: dict[str, Any], key: str) -> int:
    value = payload.get(key) or 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadSettlement(f"{key} must be a whole number of minor units >= 0, not {value!r}.")
    return value


def settled_job(payload: dict[str, Any]) -> SettledJob:
    """The job a `job.settled` payload (v1 or v2) describes, checked for what the ledger
    relies on: a known currency and method, tip >= 0, 0 <= partner share <= price, a
    partner for a partner share, and the whole price for method `partner`."""
    currency = str(payload.get("currency"))
    if currency not in CURRENCIES:
        raise BadSettlement(f"Unknown currency {currency!r}.")
    price, tip, share = (
        _minor(payload, k) for k in ("price_minor", "tip_minor", "partner_share_minor")
    )
    method = str(payload.get("method") or "transfer")
    partner_id = payload.get("partner_id")
    if method not in METHODS:
        raise BadSettlement(f"Unknown payment method {method!r}.")
    if share > price:
        raise BadSettlement(f"The partner's share {share} exceeds the price {price}.")
    if share and not partner_id:
        raise BadSettlement("A partner share needs its partner_id.")
    if method == "partner" and share != price:
        raise BadSettlement("Method 'partner' means the partner pays the whole price.")
    return SettledJob(
        facts=job_facts(payload),
        price=Money(price, currency),
        tip=Money(tip, currency),
        method=method,
        partner_id=int(partner_id) if partner_id else None,
        partner_share=Money(share, currency),
        settled_at=datetime.fromisoformat(str(payload["settled_at"])),
    )
