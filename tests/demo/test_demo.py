"""The demo marketplace: people in both countries, a reviewed past, open requests ahead.

Seeding runs the real loop through the services, so it is done once for the module (small:
30 helpers, 5 pros) inside a transaction that is rolled back when the module is done; each
test runs in its own savepoint inside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from quartier.accounts.models import ApiToken, HelperProfile, ProProfile, StaffMember, User
from quartier.bookings.models import Booking, Offer
from quartier.catalog.models import HelperSkill
from quartier.demo.seed import DEMO_PASSWORD, DOMAIN, DemoSummary, demo_seed
from quartier.jobs.models import JobRequest, RequestEvent
from quartier.jobs.states import OPEN_FOR_OFFERS
from quartier.reviews.models import Review, SkillRating

# One worker takes the whole module, so the demo is seeded once (xdist --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]

HELPERS, PROS = 30, 5
TABLES = [
    User,
    HelperProfile,
    HelperSkill,
    ProProfile,
    StaffMember,
    JobRequest,
    RequestEvent,
    Offer,
    Booking,
    Review,
    SkillRating,
    ApiToken,
]
UID = re.compile(r"^(CHE-\d{3}\.\d{3}\.\d{3}|DE\d{9})$")


def table_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


@dataclass(frozen=True)
class Demo:
    summary: DemoSummary
    counts: dict[str, int]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Demo]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with django_db_blocker.unblock():
            summary = demo_seed(helpers=HELPERS, pros=PROS)
            assert summary is not None
            counts = table_counts()
        yield Demo(summary, counts)
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def demo_helpers() -> Any:
    return HelperProfile.objects.filter(
        user__email__endswith=f"@{DOMAIN}", user__is_pro=False
    ).select_related("user")


def test_summary_matches_what_was_asked_for(demo):
    summary = demo.summary
    assert (summary.helpers, summary.pros) == (HELPERS, PROS)
    assert summary.customers > 0
    assert summary.completed_bookings > 0
    assert summary.open_requests > 0
    roles = [role for role, _, _ in summary.credentials]
    assert roles[:4] == ["operator", "customer", "helper", "pro"]
    assert all(role.startswith("partner") for role in roles[4:])  # see test_demo_partners
    assert all(password == DEMO_PASSWORD for _, _, password in summary.credentials)


def test_helpers_have_profiles_in_both_countries(demo):
    profiles = list(demo_helpers())
    assert len(profiles) == HELPERS
    assert {p.country for p in profiles} == {"CH", "DE"}
    for profile in profiles:
        assert profile.locality
        assert profile.currency == {"CH": "CHF", "DE": "EUR"}[profile.country]
        assert profile.contractor_terms_accepted_at is not None  # or they are never matched
        assert 1 <= profile.service_radius_km <= 100
        assert profile.user.helper_skills.exists()
    # Real localities of the big cities, by postcode.
    localities = {p.locality for p in profiles}
    assert any(loc.startswith("Zürich") for loc in localities)
    assert any(loc.startswith("Berlin") for loc in localities)


def test_pros_have_company_data_and_a_team(demo):
    pros = list(ProProfile.objects.filter(user__email__endswith=f"@{DOMAIN}"))
    assert len(pros) == PROS
    for pro in pros:
        assert pro.user.is_pro
        assert pro.user.is_helper
        assert pro.company_name.strip()
        assert UID.match(pro.uid), pro.uid
        assert pro.staff.count() >= 2
        assert all(member.full_name.strip() for member in pro.staff.all())
        assert hasattr(pro.user, "helper_profile")
        slugs = set(pro.user.helper_skills.values_list("skill__slug", flat=True))
        assert {"cleaning", "moving-help"} <= slugs


def test_past_bookings_are_completed_reviewed_and_over(demo):
    now = timezone.now()
    # The public marketplace's bookings (partner cases: tests/demo/test_demo_partners.py).
    bookings = list(
        Booking.objects.filter(request__partner_case__isnull=True).select_related("request")
    )
    assert len(bookings) == demo.summary.completed_bookings
    for booking in bookings:
        assert booking.request.state in {"completed", "closed"}
        assert booking.starts_at < booking.ends_at < now
        assert booking.request.window_end < now
        assert booking.cancelled_at is None
        assert booking.completed_at is not None
        assert booking.completed_at < now
        reviews = {r.direction: r for r in booking.reviews.all()}
        # The customer always reviewed; closed means the helper did too.
        assert "customer_to_helper" in reviews
        assert len(reviews) == (2 if booking.request.state == "closed" else 1)
        assert all(1 <= r.rating <= 5 for r in reviews.values())
        assert all(r.created_at >= booking.completed_at for r in reviews.values())
    states = {b.request.state for b in bookings}
    assert states == {"completed", "closed"}


def test_past_bookings_were_worked_during_their_booked_slot(demo):
    for booking in Booking.objects.all():
        assert booking.started_at >= booking.starts_at - timedelta(hours=1)
        if booking.completed_at is None:  # a partner's case the helper escalated on site
            assert booking.request.state == "escalated"
            continue
        assert booking.completed_at > booking.started_at
        assert booking.completed_at <= booking.ends_at + timedelta(days=1)


def test_open_requests_lie_ahead(demo):
    now = timezone.now()
    open_requests = JobRequest.objects.filter(state__in=OPEN_FOR_OFFERS, partner_case__isnull=True)
    assert open_requests.count() >= demo.summary.open_requests
    assert not open_requests.filter(window_start__lte=now).exists()
    assert not open_requests.filter(bookings__isnull=False).exists()
    assert {"CH", "DE"} == set(open_requests.values_list("country", flat=True))


def test_open_requests_are_those_the_summary_reports(demo):
    open_requests = JobRequest.objects.filter(state__in=OPEN_FOR_OFFERS, partner_case__isnull=True)
    assert open_requests.count() == demo.summary.open_requests


def test_a_demo_customer_logs_in_and_sees_matches_for_an_open_request(demo, api_as):
    from quartier.matching.selectors import match_helpers

    open_requests = JobRequest.objects.filter(state="requested").select_related("customer")
    matched = next((r for r in open_requests.order_by("pk") if match_helpers(r)), None)
    assert matched is not None, "no open demo request has a single match"

    client = api_as(None)
    login = client.post("/auth/login", {"email": matched.customer.email, "password": DEMO_PASSWORD})
    assert login.status_code == 200, login.data
    client.headers["Authorization"] = f"Bearer {login.data['token']}"
    matches = client.get(f"/requests/{matched.pk}/matches")
    assert matches.status_code == 200
    assert matches.data
    helper_ids = {m["helper_id"] for m in matches.data}
    assert User.objects.filter(pk__in=helper_ids, email__endswith=f"@{DOMAIN}").count() == len(
        helper_ids
    )
    assert all("km away" in m["explanation"] for m in matches.data)


def test_demo_credentials_log_in(demo, anon):
    for role, email, password in demo.summary.credentials:
        response = anon.post("/auth/login", {"email": email, "password": password})
        assert response.status_code == 200, (role, response.data)
        user = response.data["user"]
        if role.startswith("partner"):
            continue  # partner members: their pages are tested in test_demo_partners
        assert user["is_operator"] if role == "operator" else role in user["roles"]


def test_second_seed_returns_none_and_changes_nothing(demo):
    assert table_counts() == demo.counts
    assert demo_seed(helpers=HELPERS, pros=PROS) is None
    assert demo_seed() is None
    assert table_counts() == demo.counts


def test_after_the_demo_past_payouts_are_done_and_a_run_writes_a_file(demo, tmp_path, capsys):
    """`make run` then `quartier payouts run --out DIR`: the demo's last run was paid and
    executed, partners' recent shares are due now, and the books balance before and after."""
    from django.core.management import call_command

    from quartier.payments.payout_models import PayoutRun

    past = list(PayoutRun.objects.all())
    assert past
    assert all(run.executed_at is not None for run in past)
    call_command("ledger", "check")

    call_command("payouts", "run", "--out", str(tmp_path))

    [written] = list(tmp_path.glob("quartier-payout-*-CHF.xml"))
    assert b"pain.001.001.09" in written.read_bytes()
    assert "CHF: run #" in capsys.readouterr().out
    call_command("ledger", "check")
    call_command("settlement", "check")


def test_the_seed_tells_the_time_of_each_stage(demo):
    stopwatch = demo.summary.stopwatch
    names = [stage.name for stage in stopwatch.stages]
    for expected in ("people", "history (completed visits)", "events: books, invoices, webhooks"):
        assert expected in names
    assert all(stage.wall_s >= 0 and stage.cpu_s >= 0 for stage in stopwatch.stages)
    lines = stopwatch.lines()
    assert len(lines) == len(names) + 1
    assert lines[-1].split()[0] == "total"
    assert all(" s wall " in line and line.endswith(" s CPU") for line in lines)


def test_no_helper_is_in_two_places_at_once(demo):
    last_end: dict[int, Any] = {}
    live = Booking.objects.filter(cancelled_at__isnull=True).order_by("helper_id", "starts_at")
    for booking in live:
        previous = last_end.get(booking.helper_id)
        assert previous is None or previous <= booking.starts_at, booking.pk
        last_end[booking.helper_id] = booking.ends_at


def test_skill_ratings_are_for_the_skill_booked(demo):
    ratings = SkillRating.objects.select_related("review__booking__request")
    assert ratings.exists()
    for rating in ratings:
        assert rating.skill_id == rating.review.booking.request.skill_id
        assert rating.review.direction == "customer_to_helper"


def test_listings_and_scores_are_current_after_the_seed(demo):
    """Listings are written once at the end of the seed: they show every helper's reviews."""
    from quartier.directory.models import Listing
    from quartier.directory.services import listing_refresh
    from quartier.events.outbox import pending_count

    assert pending_count() == 0  # every event was handed to its handlers
    listings = {listing.helper_id: listing for listing in Listing.objects.all()}
    assert len(listings) >= HELPERS
    rated = [listing for listing in listings.values() if listing.rating_count]
    assert rated
    for listing in rated[:10]:
        fresh = listing_refresh(helper_id=listing.helper_id)
        assert fresh is not None
        assert (fresh.rating_count, fresh.rating_average) == (
            listing.rating_count,
            listing.rating_average,
        )


def test_the_demo_command_on_a_seeded_database_only_lists_the_log_ins(demo):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("demo", stdout=out)
    assert "Demo data is there already." in out.getvalue()
    assert f"customer1@{DOMAIN}" in out.getvalue()
    assert table_counts() == demo.counts


def test_every_past_job_played_or_copied_is_settled_invoiced_and_audited(demo):
    """A few jobs a round go through the services, the rest are copied in bulk: both kinds
    were settled once (invoice in the helper's name, or why it was withheld) and carry the
    request's whole audit trail, in the past."""
    from quartier.events.models import DomainEvent
    from quartier.invoicing.models import Invoice, InvoiceWithheld

    now = timezone.now()
    settled = list(
        DomainEvent.objects.filter(kind="job.settled").values_list("payload__booking_id", flat=True)
    )
    assert len(settled) == len(set(settled))
    invoiced = set(Invoice.objects.values_list("booking_id", flat=True))
    withheld = set(InvoiceWithheld.objects.values_list("booking_id", flat=True))
    trail = ["requested", "offered", "booked", "in_progress", "completed"]
    done = Booking.objects.filter(state="completed")
    assert done.count() == len(settled)
    public = set(done.filter(request__partner_case__isnull=True).values_list("pk", flat=True))
    for booking in done.select_related("request"):
        assert booking.pk in set(settled)
        assert booking.pk in invoiced | withheld, booking.pk
        states = list(
            RequestEvent.objects.filter(request=booking.request)
            .order_by("id")
            .values_list("to_state", flat=True)
        )
        if booking.pk in public:
            assert states[:5] == trail, states
        assert not RequestEvent.objects.filter(request=booking.request, created_at__gt=now).exists()
    assert Offer.objects.filter(status="accepted", lines__isnull=True).count() == 0


def test_the_showcase_customer_booked_two_helpers_for_one_job(demo):
    request = JobRequest.objects.get(
        helpers_needed=2, customer__email=f"customer1@{DOMAIN}", state="closed"
    )
    bookings = list(request.bookings.all())
    assert len(bookings) == 2
    assert len({b.helper_id for b in bookings}) == 2
    assert {b.slot for b in bookings} == {1, 2}
    for booking in bookings:
        assert booking.completed_at is not None
        assert booking.completed_at < timezone.now()
        assert booking.reviews.count() == 2


def test_the_showcase_customer_acts_for_a_household_member(demo, client):
    from quartier.households.models import Delegation

    delegation = Delegation.objects.get(delegate__email=f"customer1@{DOMAIN}")
    assert delegation.accepted_at is not None
    assert delegation.revoked_at is None
    member = delegation.member
    posted = JobRequest.objects.filter(customer=member, state__in=OPEN_FOR_OFFERS)
    assert posted.exists()
    client.force_login(delegation.delegate)
    page = client.get("/me/household")
    assert page.status_code == 200
    assert member.full_name in page.content.decode()


def test_the_showcase_helper_has_a_counter_offer_to_answer(demo, client):
    from django.urls import reverse

    from quartier.bookings.counter_models import Counter

    counter = Counter.objects.select_related("offer", "request").get(
        helper__email=f"helper1@{DOMAIN}"
    )
    assert counter.status == "open"
    assert counter.price_minor < counter.offer.price_minor
    assert counter.request.customer.email == f"customer1@{DOMAIN}"
    client.force_login(counter.helper)
    page = client.get(f"/helper/requests/{counter.request_id}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="counter-offer"' in html
    assert counter.message in html
    assert reverse("web:helper_counter_accept", args=[counter.pk]) in html  # to answer
