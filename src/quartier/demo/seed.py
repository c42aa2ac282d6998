"""Realistic demo data, created through the same services the API uses.

Idempotent: a second run finds the demo operator and changes nothing. Completed bookings
are played through the real loop in the near future and then moved into the past, since
the services (rightly) refuse to book time that has already gone by.
"""

from __future__ import annotations

import random
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from quartier.accounts.legal import SIGN_UP, legal_accept
from quartier.accounts.models import User
from quartier.accounts.services import helper_profile_upsert, pro_profile_upsert
from quartier.catalog.models import Skill
from quartier.catalog.services import catalog_seed, helper_skills_set
from quartier.directory.services import listing_refresh_deferred
from quartier.dispatch.posting import request_post
from quartier.dispatch.terms import QUOTES, DispatchTerms
from quartier.geo.models import Postcode
from quartier.jobs.models import JobRequest
from quartier.jobs.states import OPEN_FOR_OFFERS
from quartier.matching.engine import MatchQuery, rank
from quartier.matching.services import match_index_deferred

from . import people
from .history import History
from .money import money_seed
from .partners import partners_seed
from .showcase import counter_seed, household_seed
from .stages import Stopwatch, tasks_discarded
from .vetting import vetting_requirements_seed, vetting_seed

DEMO_PASSWORD = "quartier-demo"
DOMAIN = "quartier.example"
OPERATOR_EMAIL = f"operator@{DOMAIN}"
# (city, country, postcode prefix, locality contains, share of helpers)
CITIES = [
    ("Zürich", "CH", "80", "Zürich", 0.14),
    ("Bern", "CH", "30", "Bern", 0.08),
    ("Basel", "CH", "40", "Basel", 0.08),
    ("Luzern", "CH", "60", "Luzern", 0.06),
    ("St. Gallen", "CH", "90", "Gallen", 0.06),
    ("Berlin", "DE", "1", "Berlin", 0.16),
    ("München", "DE", "8", "München", 0.12),
    ("Hamburg", "DE", "2", "Hamburg", 0.12),
    ("Köln", "DE", "5", "Köln", 0.09),
    ("Frankfurt", "DE", "6", "Frankfurt", 0.09),
]


@dataclass
class DemoSummary:
    helpers: int
    pros: int
    customers: int
    open_requests: int
    completed_bookings: int
    credentials: list[tuple[str, str, str]]
    stopwatch: Stopwatch = field(default_factory=Stopwatch)


def demo_seed(*, helpers: int = 200, pros: int = 20, seed: int = 7) -> DemoSummary | None:
    """Seed the demo marketplace; returns None when it is there already."""
    if User.objects.filter(email=OPERATOR_EMAIL).exists():
        return None
    rng = random.Random(seed)
    stopwatch = Stopwatch()
    with tasks_discarded(), transaction.atomic(), ExitStack() as listings:
        # Public listings are written once per helper at the end, not after every change.
        listings.enter_context(listing_refresh_deferred())
        summary = _Seeder(rng, stopwatch).run(helpers=helpers, pros=pros)
        with stopwatch.stage("partners and their cases"):
            summary.credentials += partners_seed()  # SwissTel and Möbelwerk, with their cases
        money_seed(rng=rng, stopwatch=stopwatch)  # profiles, books, invoices, a payout run
        with stopwatch.stage("directory listings"):
            listings.close()
    summary.stopwatch = stopwatch
    return summary


class _Seeder:
    def __init__(self, rng: random.Random, stopwatch: Stopwatch) -> None:
        self.rng = rng
        self.stopwatch = stopwatch
        self.password = make_password(DEMO_PASSWORD)  # hashed once: Argon2 is slow on purpose
        self.skills = {s.slug: s for s in Skill.objects.all()}
        self.postcodes: dict[str, list[Postcode]] = {}
        self.serial = 0

    def run(self, *, helpers: int, pros: int) -> DemoSummary:
        stage = self.stopwatch.stage
        with stage("catalogue and places"):
            catalog_seed()
            self._places()
        with stage("people"), match_index_deferred():
            operator = self._user("operator", "Olivia Operator", is_staff=True, is_superuser=True)
            vetting_requirements_seed(operator)
            helper_users = [self._helper(i, c) for i, c in enumerate(self._spread(helpers))]
            pro_users = [self._pro(i, city) for i, city in enumerate(self._spread(pros))]
        with stage("vetting"), match_index_deferred():
            vetting_seed(operator=operator, helpers=helper_users + pro_users, rng=self.rng)
        with stage("customers"):
            customers = [self._customer(i, city) for i, city in enumerate(self._spread(60))]
        # Ratings and reliability settle once at the end, not after every demo booking.
        with stage("history (completed visits)"), match_index_deferred():
            completed = History(self, helper_users + pro_users).run(customers)
        with stage("open requests"):
            self._open_requests(customers)
        if len(customers) > 1 and helper_users:
            with stage("a household and a counter-offer"):
                household_seed(self, customers[0], customers[1], day=4)
                counter_seed(self, customers[0], helper_users[0], day=3)
        open_requests = JobRequest.objects.filter(state__in=OPEN_FOR_OFFERS).count()
        showcase = {
            "customer": customers[0],
            "helper": helper_users[0],
            "pro": pro_users[0],
        }
        credentials = [("operator", operator.email, DEMO_PASSWORD)] + [
            (role, user.email, DEMO_PASSWORD) for role, user in showcase.items()
        ]
        return DemoSummary(
            helpers=len(helper_users),
            pros=len(pro_users),
            customers=len(customers),
            open_requests=open_requests,
            completed_bookings=completed,
            credentials=credentials,
        )

    def _places(self) -> None:
        self.skills = {s.slug: s for s in Skill.objects.all()}
        for city, country, prefix, contains, _ in CITIES:
            rows = list(
                Postcode.objects.filter(
                    country=country, postcode__startswith=prefix, locality__icontains=contains
                )
            )
            if not rows:
                raise RuntimeError(f"No postcodes for {city}: run `quartier import postcodes`.")
            self.postcodes[city] = rows

    # --- people -------------------------------------------------------------------------

    def _spread(self, count: int) -> list[str]:
        weights = [share for *_, share in CITIES]
        cities = [c[0] for c in CITIES]
        # Every city gets at least one, then the rest by population share.
        chosen = cities[: min(count, len(cities))]
        chosen += self.rng.choices(cities, weights=weights, k=max(0, count - len(cities)))
        return chosen

    def _country(self, city: str) -> str:
        return next(c[1] for c in CITIES if c[0] == city)

    def _name(self, country: str) -> str:
        firsts = people.FIRST_NAMES_CH if country == "CH" else people.FIRST_NAMES_DE
        lasts = people.LAST_NAMES_CH if country == "CH" else people.LAST_NAMES_DE
        return f"{self.rng.choice(firsts)} {self.rng.choice(lasts)}"

    def _user(self, local: str, full_name: str, **flags: bool) -> User:
        self.serial += 1
        user = User.objects.create(
            email=f"{local}@{DOMAIN}",
            full_name=full_name,
            password=self.password,
            phone=f"+41 79 {self.rng.randint(100, 999)} {self.rng.randint(10, 99)} "
            f"{self.rng.randint(10, 99)}",
            preferred_language=self.rng.choice(["de", "de", "en"]),
            email_verified_at=timezone.now(),  # demo accounts count as verified
            **flags,
        )
        legal_accept(user=user, documents=SIGN_UP)  # as at sign-up
        return user

    def _place(self, city: str) -> Postcode:
        return self.rng.choice(self.postcodes[city])

    def _helper(self, index: int, city: str, *, pro: bool = False) -> User:
        country = self._country(city)
        local = f"helper{index + 1}" if not pro else f"pro{index + 1}"
        user = self._user(local, self._name(country), is_helper=True, is_pro=pro)
        place = self._place(city)
        base = 3500 if country == "CH" else 2500
        helper_profile_upsert(
            actor=user,
            country=country,
            postcode=place.postcode,
            service_radius_km=self.rng.choice([3, 5, 8, 10, 15, 20, 30]),
            hourly_rate_minor=base + 500 * self.rng.randint(0, 6),
            bio=self.rng.choice(people.BIOS),
            languages=self.rng.sample(
                ["de", "en", "fr", "it", "tr", "es"], k=self.rng.randint(1, 3)
            ),
            accept_contractor_terms=True,
        )
        slugs = self.rng.sample(sorted(self.skills), k=self.rng.randint(1, 4))
        levels = ["basic", "experienced", "expert"]
        helper_skills_set(actor=user, skills=[(s, self.rng.choice(levels)) for s in slugs])
        return user

    def _pro(self, index: int, city: str) -> User:
        user = self._helper(index, city, pro=True)
        # Pros are businesses: cleaning and moving, with a team.
        helper_skills_set(
            actor=user,
            skills=[
                ("cleaning", "expert"),
                ("moving-help", "expert"),
                ("furniture-assembly", "experienced"),
            ],
        )
        country = self._country(city)
        uid = (
            "CHE-" + ".".join(str(self.rng.randint(100, 999)) for _ in range(3))
            if country == "CH"
            else f"DE{self.rng.randint(100000000, 999999999)}"
        )
        company = f"{self.rng.choice(people.PRO_COMPANIES)} {city}"
        staff = [(self._name(country), "") for _ in range(self.rng.randint(2, 5))]
        pro_profile_upsert(actor=user, company_name=company, uid=uid, staff=staff)
        return user

    def _customer(self, index: int, city: str) -> User:
        user = self._user(f"customer{index + 1}", self._name(self._country(city)))
        user.demo_city = city  # type: ignore[attr-defined]
        return user

    # --- the loop -----------------------------------------------------------------------

    def _window(self, day: int) -> tuple[datetime, datetime]:
        date = (timezone.localtime() + timedelta(days=day)).date()
        start = timezone.make_aware(datetime.combine(date, time(8, 0)))
        return start, start + timedelta(hours=10)

    def _served_skill(self, customer: User, place: Postcode) -> str | None:
        """A skill somebody near `place` offers, so demo requests don't go unanswered."""
        for skill in self.rng.sample(sorted(people.REQUEST_TEMPLATES), k=4):
            query = MatchQuery(
                skill_id=self.skills[skill].pk,
                latitude=place.latitude,
                longitude=place.longitude,
                limit=1,
                exclude_helper_ids={customer.pk},
            )
            if rank(query):
                return skill
        return None

    def _post(
        self,
        customer: User,
        skill: str,
        day: int,
        place: Postcode,
        *,
        terms: DispatchTerms | None = QUOTES,
    ) -> JobRequest:
        title, description = people.REQUEST_TEMPLATES[skill]
        start, end = self._window(day)
        street = self.rng.choice(["Bahnhofstrasse", "Hauptstrasse", "Lindenweg", "Gartenstrasse"])
        return request_post(
            actor=customer,
            skill=skill,
            title=title,
            description=description,
            country=place.country,
            postcode=place.postcode,
            street_address=f"{street} {self.rng.randint(1, 120)}",
            window_start=start,
            window_end=end,
            budget_minor=self.rng.choice([None, 8000, 12000, 20000]),
            terms=terms,
        )

    def _open_requests(self, customers: list[User]) -> None:
        for customer in customers[:40]:
            place = self._place(customer.demo_city)  # type: ignore[attr-defined]
            skill = self._served_skill(customer, place)
            if skill is not None:
                self._post(customer, skill, day=self.rng.randint(1, 14), place=place)
