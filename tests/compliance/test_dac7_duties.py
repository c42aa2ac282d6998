"""DAC7 duties: the § 22 notice, two reminders while data is missing, then no new bookings
(§ 23) while what was earned is still paid out; completing the data lifts the hold at
once. Swiss residents are never asked, reminded or held."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from quartier.accounts.models import HelperProfile
from quartier.bookings.services import offer_accept
from quartier.compliance.dac7_data import tax_data_save
from quartier.compliance.dac7_duties import dac7_tick
from quartier.compliance.models import Dac7Standing
from quartier.errors import Conflict, Forbidden, NotFound
from quartier.jobs.coverage import helper_can_serve
from quartier.matching.explain import why_not
from quartier.matching.selectors import match_helpers
from quartier.money import Money
from quartier.notifications.kinds import Kind
from quartier.notifications.models import EmailOptOut, Notification
from quartier.notifications.services import email_preferences_set
from quartier.payments import chart
from quartier.payments.payouts import payouts_run
from quartier.payments.services import ledger_post
from tests.compliance.sellers import GERMAN_TIN, seller
from tests.factories import make_booking, make_customer, make_offer, make_request
from tests.mail import send_queued_emails

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def tax_titles(user) -> list[str]:
    return list(
        Notification.objects.filter(user=user, kind="tax")
        .order_by("id")
        .values_list("title", flat=True)
    )


def on_hold(user) -> bool:
    return HelperProfile.objects.get(user=user).tax_data_hold_since is not None


def earned(helper, amount: int) -> None:
    """Quartier owes the helper `amount` EUR (e.g. a card payment through Quartier)."""
    ledger_post(
        event_key=f"test-owed:{helper.pk}",
        kind="test.owed",
        booked_at=timezone.now(),
        subject="",
        lines=[
            (chart.bank("EUR"), Money(amount, "EUR")),
            (chart.helper_payable(helper.pk, "EUR"), Money(-amount, "EUR")),
        ],
    )


def german_request(customer):
    return make_request(
        customer, country="DE", postcode="10117", street_address="Friedrichstraße 43"
    )


def test_a_german_seller_with_missing_data_is_told_reminded_twice_then_held_but_paid():
    helper = seller("DE", preferred_language="en")
    customer = make_customer(preferred_language="en")
    booked = make_booking(customer, helper, country="DE", postcode="10117")
    t0 = timezone.now()

    dac7_tick(now=t0)
    titles = tax_titles(helper)
    assert titles == [
        "Quartier reports your earnings to the tax office",
        "Reminder: we still need your tax details",
    ]
    dac7_tick(now=t0 + DAY)  # too early for the second reminder
    assert len(tax_titles(helper)) == 2
    dac7_tick(now=t0 + 15 * DAY)
    assert tax_titles(helper)[2] == "Reminder: we still need your tax details"
    assert not on_hold(helper)
    pending = make_offer(helper, german_request(make_customer()))  # made while still free

    dac7_tick(now=t0 + 30 * DAY)
    assert on_hold(helper)
    assert tax_titles(helper)[3] == "No new bookings until your tax details are complete"
    assert Dac7Standing.objects.get(user=helper).missing == ["date_of_birth", "tin", "residence"]

    # No new bookings: not matched, cannot offer, an offer made before cannot be accepted.
    request = german_request(customer)
    assert helper.pk not in [m.helper_id for m in match_helpers(request)]
    assert not helper_can_serve(helper=helper, request=request)
    assert [r.code for r in why_not(helper=helper, request=request)] == ["tax_data_missing"]
    with pytest.raises((Forbidden, NotFound)):
        make_offer(helper, request)
    with pytest.raises(Conflict) as refused:
        offer_accept(actor=pending.request.customer, offer_id=pending.pk)
    assert refused.value.code == "helper_on_hold"
    # The booking made before stays, and what the seller earned is paid out.
    booked.refresh_from_db()
    assert booked.cancelled_at is None
    earned(helper, 4200)
    run = payouts_run(currency="EUR").run
    assert run is not None
    assert [(i.helper_id, i.amount_minor) for i in run.items.all()] == [(helper.pk, 4200)]
    # A later tick neither reminds again nor lifts anything.
    dac7_tick(now=t0 + 45 * DAY)
    assert len(tax_titles(helper)) == 4
    assert on_hold(helper)

    tax_data_save(
        actor=helper,
        data={
            "date_of_birth": "1985-04-02",
            "tins": [{"tin": GERMAN_TIN, "country": "DE"}],
            "residence_countries": ["DE"],
        },
    )
    assert not on_hold(helper)
    assert helper_can_serve(helper=helper, request=request)
    assert helper.pk in [m.helper_id for m in match_helpers(request)]


def test_a_swiss_helper_is_never_asked_reminded_or_held():
    helper = seller("CH", preferred_language="en")
    customer = make_customer()
    t0 = timezone.now()
    for days in (0, 15, 30, 45, 60):
        dac7_tick(now=t0 + days * DAY)
    assert tax_titles(helper) == []
    assert not on_hold(helper)
    request = make_request(customer)
    assert helper_can_serve(helper=helper, request=request)
    assert helper.pk in [m.helper_id for m in match_helpers(request)]


def test_a_complete_german_seller_gets_only_the_notice():
    helper = seller("DE", preferred_language="en")
    tax_data_save(
        actor=helper,
        data={"date_of_birth": "1985-04-02", "birth_town": "Köln", "birth_country": "DE",
              "residence_countries": ["DE"]},
    )  # fmt: skip
    t0 = timezone.now()
    for days in (0, 15, 30):
        dac7_tick(now=t0 + days * DAY)
    assert tax_titles(helper) == ["Quartier reports your earnings to the tax office"]
    assert not on_hold(helper)


def test_the_notice_and_reminders_come_by_email_even_to_a_seller_who_opted_out(
    django_capture_on_commit_callbacks,
):
    helper = seller("DE", preferred_language="de")
    every_kind = [value for value, _ in Kind.choices]
    assert "tax" not in email_preferences_set(actor=helper, by_email=[])
    assert not EmailOptOut.objects.filter(user=helper, kind="tax").exists()
    EmailOptOut.objects.create(user=helper, kind="tax")  # left from before: still ignored
    with django_capture_on_commit_callbacks(execute=True):
        dac7_tick(now=timezone.now())
    send_queued_emails()
    mine = {m.subject: m.body for m in mail.outbox if m.to == [helper.email]}
    assert set(mine) == {  # the queue does not keep the order
        "Quartier meldet deine Einnahmen dem Finanzamt",
        "Erinnerung: Wir brauchen noch deine Steuerangaben",
    }
    assert "Bundeszentralamt für Steuern" in mine["Quartier meldet deine Einnahmen dem Finanzamt"]
    assert "dein Geburtsdatum" in mine["Erinnerung: Wir brauchen noch deine Steuerangaben"]
    assert "tax" in every_kind
