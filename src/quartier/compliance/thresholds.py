"""Threshold monitors: a helper's on-platform turnover against the VAT and AHV limits.

- DE, EUR 100,000 in the current year (§ 19 UStG since 2025): exceeding it ends the
  small-business status with the very job that crosses it. When a booking is made that
  would take the year over the limit, the helper is warned at once (`de_100k_ahead`); when
  the crossing job is settled, this handler — it runs before invoicing's (handlers of one
  event run in name order) — switches a Kleinunternehmer to regular VAT from that day and
  tells them (`de_100k_crossed`), so the crossing invoice is already issued with VAT. The
  helper then confirms or changes their VAT status; invoices follow it.
- DE, EUR 25,000: crossed this year (`de_25k_current`, no small-business status next year);
  the prior year over it while still Kleinunternehmer (`de_25k_prior`, the tick).
- CH, CHF 100,000 worldwide turnover for VAT (`ch_vat_100k`; on-platform is what we see).
- CH, CHF 2,500 net side income (`ch_ahv_2500`, AHV notice).

Turnover = settled jobs' gross - refunds + tips; net income = what the helper keeps. Each
alert is raised once per helper, code and year, with a message (notifications) and a line
in the back office.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.events import handles
from quartier.money import Money, format_money
from quartier.notifications.kinds import Kind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify
from quartier.payments.commission import job_charge
from quartier.payments.facts import settled_job
from quartier.payments.models import PayoutProfile, VatStatus
from quartier.payments.selectors import STATEMENT_TIMEZONE, helper_statement

from .models import ThresholdAlert, ThresholdCode

EUR_100K, EUR_25K = 100_000_00, 25_000_00
CHF_100K, CHF_2500 = 100_000_00, 2_500_00


def _year_of(when: datetime) -> int:
    return when.astimezone(STATEMENT_TIMEZONE).year


def turnover_before(
    helper: User, year: int, currency: str, *, without_booking: int | None = None
) -> tuple[int, int]:
    """(turnover, net income) of `year` in `currency` from the ledger, leaving out the
    booking being judged (its settlement may or may not be booked yet)."""
    statement = helper_statement(helper=helper, year=year)
    totals = statement.totals.get(currency)
    if totals is None:
        return 0, 0
    turnover = totals.gross.minor - totals.refunds.minor + totals.tips.minor
    net = totals.net.minor
    for line in statement.lines:
        if line.booking_id == without_booking and line.currency == currency:
            turnover -= line.amounts.gross - line.amounts.refund + line.amounts.tip
            net -= line.amounts.net
    return turnover, net


def alert_raise(
    *,
    helper: User,
    code: ThresholdCode,
    year: int,
    amount: Money,
    limit: int,
    booking_id: int | None = None,
) -> ThresholdAlert | None:
    """Record the alert and tell the helper, once per code and year (None: raised before)."""
    try:
        with transaction.atomic():
            alert: ThresholdAlert = ThresholdAlert.objects.create(
                helper=helper,
                code=code,
                year=year,
                currency=amount.currency,
                limit_minor=limit,
                turnover_minor=amount.minor,
                booking_id=booking_id,
            )
    except IntegrityError:
        return None
    language = helper.preferred_language or "de"
    notify(
        user=helper,
        kind=Kind.TAX,
        context={
            "topic": code.value,
            "turnover": format_money(amount.minor, amount.currency, locale=language[:2]),
        },
        link=Link(Page.TAX_DATA),
    )
    return alert


def _crossed(before: int, after: int, limit: int) -> bool:
    return before <= limit < after


def _vat_status(helper_id: int) -> str:
    status = PayoutProfile.objects.filter(user_id=helper_id).values_list("vat_status", flat=True)
    return str(status.first() or "")


def small_business_ends(*, helper_id: int, on: date) -> bool:
    """The § 19 status ended with a job on `on`: the profile says regular VAT from that day
    (the invoice of that job and every later one shows VAT). False when not a
    Kleinunternehmer."""
    changed = PayoutProfile.objects.filter(user_id=helper_id, vat_status=VatStatus.DE_SMALL).update(
        vat_status=VatStatus.DE_REGULAR, vat_valid_from=on, vat_valid_until=None
    )
    return bool(changed)


@handles("booking.created", name="compliance.threshold_ahead")
def on_booking_created(event: Any) -> None:
    """Warn a Kleinunternehmer at booking time when this job would take the year over
    EUR 100,000 — before the job is done and long before its invoice."""
    payload = event.payload
    if payload.get("currency") != "EUR" or _vat_status(payload["helper_id"]) != VatStatus.DE_SMALL:
        return
    helper = User.objects.get(pk=payload["helper_id"])
    year = _year_of(event.occurred_at)
    before, _ = turnover_before(helper, year, "EUR", without_booking=payload["booking_id"])
    after = before + int(payload.get("price_minor") or 0) + int(payload.get("tip_minor") or 0)
    if after > EUR_100K:
        alert_raise(
            helper=helper,
            code=ThresholdCode.DE_100K_AHEAD,
            year=year,
            amount=Money(after, "EUR"),
            limit=EUR_100K,
            booking_id=payload["booking_id"],
        )


@handles("job.settled", name="compliance.thresholds")
def on_job_settled(event: Any) -> None:
    """Judge the settled job against the limits before invoicing issues its invoice."""
    job = settled_job(event.payload)
    helper = User.objects.get(pk=job.facts.helper_id)
    currency, year = job.price.currency, _year_of(job.settled_at)
    before, net_before = turnover_before(
        helper, year, currency, without_booking=job.facts.booking_id
    )
    after = before + job.price.minor + job.tip.minor
    charge = job_charge(
        job.price,
        market=job.facts.market,
        skill=job.facts.skill,
        category=job.facts.category,
        helper_country=job.facts.helper_country,
    )
    net_after = net_before + job.price.minor + job.tip.minor - charge.total.minor
    booking_id = job.facts.booking_id

    def check(code: ThresholdCode, limit: int, was: int, now: int) -> bool:
        if not _crossed(was, now, limit):
            return False
        alert_raise(
            helper=helper, code=code, year=year, amount=Money(now, currency), limit=limit,
            booking_id=booking_id,
        )  # fmt: skip
        return True

    if currency == "EUR":
        if check(ThresholdCode.DE_100K_CROSSED, EUR_100K, before, after):
            small_business_ends(helper_id=helper.pk, on=job.settled_at.date())
        check(ThresholdCode.DE_25K_CURRENT, EUR_25K, before, after)
    elif currency == "CHF":
        if _vat_status(helper.pk) != VatStatus.CH_REGISTERED:
            check(ThresholdCode.CH_VAT_100K, CHF_100K, before, after)
        check(ThresholdCode.CH_AHV_2500, CHF_2500, net_before, net_after)


def thresholds_tick(now: datetime | None = None) -> str:
    """Kleinunternehmer whose prior year on Quartier exceeded EUR 25,000 are told (once a
    year) that the status is not open to them this year."""
    year = _year_of(now or timezone.now())
    raised = 0
    profiles = PayoutProfile.objects.filter(vat_status=VatStatus.DE_SMALL).exclude(
        user__threshold_alerts__code=ThresholdCode.DE_25K_PRIOR,
        user__threshold_alerts__year=year,
    )
    for profile in profiles.select_related("user")[:500]:
        turnover, _ = turnover_before(profile.user, year - 1, "EUR")
        if turnover > EUR_25K:
            raised += bool(
                alert_raise(
                    helper=profile.user,
                    code=ThresholdCode.DE_25K_PRIOR,
                    year=year,
                    amount=Money(turnover, "EUR"),
                    limit=EUR_25K,
                )
            )
    return f"thresholds: {raised} raised" if raised else ""


def alert_confirm(*, actor: User, alert_id: int, vat_status: str) -> ThresholdAlert:
    """The helper answers an alert: confirms their VAT status as it is, or changes it (from
    today; the payout profile's own checks apply). Invoices follow the profile."""
    from quartier.errors import NotFound
    from quartier.payments.profiles import payout_profile_for, payout_profile_save

    alert = ThresholdAlert.objects.filter(pk=alert_id, helper=actor).first()
    if alert is None:
        raise NotFound("No such alert.")
    with transaction.atomic():
        profile = payout_profile_for(actor)
        if vat_status and vat_status != profile.vat_status:
            data = {name: getattr(profile, name) for name in _PROFILE_FIELDS}
            data |= {"vat_status": vat_status, "vat_valid_from": timezone.localdate()}
            data["vat_valid_until"] = None
            profile = payout_profile_save(actor=actor, data=data)
        alert.confirmed_at = timezone.now()
        alert.confirmed_vat_status = profile.vat_status
        alert.save(update_fields=["confirmed_at", "confirmed_vat_status"])
    return alert


_PROFILE_FIELDS = [
    "provider_kind", "legal_name", "street", "house_number", "postcode", "town", "country",
    "iban", "account_holder", "vat_status", "vat_valid_from", "vat_valid_until", "uid",
    "tax_number", "vat_id",
]  # fmt: skip
