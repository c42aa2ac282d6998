"""What the showcase customer (customer1) finds besides their own jobs, each made through
the services: a past move for two helpers (a request for several helpers, two bookings,
each signed off and reviewed), a household (customer1 acts for customer2 and has posted a
request for them), and a counter-offer waiting for the showcase helper (helper1) to answer."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from quartier.accounts.models import HelperProfile, User
from quartier.bookings.counters import counter_make
from quartier.bookings.services import offer_accept, offer_create
from quartier.catalog.models import HelperSkill
from quartier.dispatch.posting import request_post
from quartier.dispatch.terms import QUOTES
from quartier.geo.models import Postcode
from quartier.households.services import delegation_accept, delegation_invite
from quartier.matching.engine import MatchQuery, rank
from quartier.reviews.services import review_create

from . import people
from .vetting import CARE_SKILLS
from .visits import demo_check_in, demo_visit_finish

if TYPE_CHECKING:
    from .seed import _Seeder

#: Skills a job for two is asked for most; the first with two helpers near the customer.
TEAM_REVIEW = "Schnell und sorgfältig, zu zweit an einem Vormittag."
TEAM_SKILLS = ["moving-help", "furniture-assembly", "cleaning", "gardening"]


def several_helpers_play(seeder: _Seeder, customer: User, *, day: int) -> int:
    """A job for two helpers, played like the rest of the history (backdated with it);
    returns how many bookings it made (0 when no two helpers serve the customer's town)."""
    place = seeder._place(customer.demo_city)  # type: ignore[attr-defined]
    window_start, window_end = seeder._window(day)
    for skill in [s for s in TEAM_SKILLS if s in seeder.skills and s in people.REQUEST_TEMPLATES]:
        query = MatchQuery(
            skill_id=seeder.skills[skill].pk,
            latitude=place.latitude,
            longitude=place.longitude,
            window_start=window_start,
            window_end=window_end,
            limit=2,
            exclude_helper_ids={customer.pk},
        )
        helper_ids = [c.helper_id for c in rank(query)]
        if len(helper_ids) == 2:
            break
    else:
        return 0
    request = request_post(
        actor=customer,
        skill=skill,
        title=people.REQUEST_TEMPLATES[skill][0] + " (zu zweit)",
        description="Zwei Helfer:innen, damit es an einem Vormittag erledigt ist.",
        country=place.country,
        postcode=place.postcode,
        street_address="Bahnhofstrasse 12",
        window_start=window_start,
        window_end=window_end,
        helpers_needed=2,
        terms=None,
    )
    helpers = list(User.objects.filter(pk__in=helper_ids).order_by("pk"))
    start = window_start + timedelta(hours=9)  # its own day, after the rounds' days
    offers = [
        offer_create(
            actor=helper,
            request_id=request.pk,
            price_minor=15000 + 1000 * index,
            proposed_start=start,
            proposed_end=start + timedelta(hours=1),
            message="Ich bin dabei.",
        )
        for index, helper in enumerate(helpers)
    ]
    bookings = [offer_accept(actor=customer, offer_id=offer.pk) for offer in offers]
    for booking in bookings:
        demo_check_in(booking)
        demo_visit_finish(booking)
    for booking, helper in zip(bookings, helpers, strict=True):
        review_create(actor=customer, booking_id=booking.pk, rating=5, text=TEAM_REVIEW)
        review_create(actor=helper, booking_id=booking.pk, rating=5)
    return len(bookings)


def household_seed(seeder: _Seeder, delegate: User, member: User, *, day: int) -> None:
    """`member` invited `delegate`, who accepted and posted a request in the member's name."""
    invitation = delegation_invite(actor=member, email=delegate.email)
    delegation_accept(actor=delegate, delegation_id=invitation.pk)
    place = seeder._place(member.demo_city)  # type: ignore[attr-defined]
    skill = seeder._served_skill(member, place)
    if skill is None:
        return
    title, description = people.REQUEST_TEMPLATES[skill]
    window_start, window_end = seeder._window(day)
    request_post(
        actor=delegate,
        for_customer_id=member.pk,
        skill=skill,
        title=title,
        description=description + " (für meinen Vater)",
        country=place.country,
        postcode=place.postcode,
        street_address="Lindenweg 3",
        window_start=window_start,
        window_end=window_end,
        terms=QUOTES,
    )


def counter_seed(seeder: _Seeder, customer: User, helper: User, *, day: int) -> None:
    """The customer asked the showcase helper for something near them, got an offer and
    countered it with a lower price: the helper has it to accept or withdraw."""
    profile = HelperProfile.objects.get(user=helper)
    skill = (
        HelperSkill.objects.filter(helper=helper, skill__slug__in=people.REQUEST_TEMPLATES)
        .exclude(skill__slug__in=CARE_SKILLS)  # no vetting needed for the example
        .values_list("skill__slug", flat=True)
        .order_by("skill__slug")
        .first()
    )
    place = Postcode.objects.filter(country=profile.country, postcode=profile.postcode).first()
    if skill is None or place is None:
        return
    request = seeder._post(customer, skill, day=day, place=place)
    window_start, _ = seeder._window(day)
    offer = offer_create(
        actor=helper,
        request_id=request.pk,
        price_minor=18000,
        proposed_start=window_start + timedelta(hours=2),
        proposed_end=window_start + timedelta(hours=4),
        message="Das mache ich gern, am Vormittag.",
    )
    counter_make(
        actor=customer,
        offer_id=offer.pk,
        price_minor=15000,
        message="Ginge es auch für 150?",
    )
