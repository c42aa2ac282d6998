"""Test data builders. Helpers and requests go through the real services (geocoding etc.)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from quartier.accounts.legal import SIGN_UP, legal_accept
from quartier.accounts.models import User
from quartier.accounts.services import helper_profile_upsert
from quartier.bookings.models import Booking, Offer
from quartier.bookings.services import offer_accept, offer_create
from quartier.catalog.services import helper_skills_set
from quartier.dispatch.posting import request_post
from quartier.jobs.models import JobRequest


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name", locale="de_CH")
    # Argon2 is slow on purpose: hash the shared test password once, not per user.
    password = factory.LazyFunction(lambda: _password_hash())
    is_customer = True
    # Verified, as a member who opened the link: the booking gate is tested on its own.
    email_verified_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def legal_texts(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Accepted at sign-up, as a real member has; `legal_texts=False` leaves them out."""
        if create and extracted is not False:
            legal_accept(user=self, documents=SIGN_UP)  # type: ignore[arg-type]


@cache
def _password_hash() -> str:
    return make_password("correct horse battery staple")


def make_customer(**fields: Any) -> User:
    return UserFactory(**fields)


def make_helper(
    *,
    postcode: str = "8003",
    country: str = "CH",
    skills: Sequence[str] = ("tv-set-top-box",),
    radius_km: int = 10,
    rate_minor: int = 4500,
    terms: bool = True,
    **fields: Any,
) -> User:
    user: User = UserFactory(is_helper=True, **fields)
    helper_profile_upsert(
        actor=user,
        country=country,
        postcode=postcode,
        service_radius_km=radius_km,
        hourly_rate_minor=rate_minor,
        accept_contractor_terms=terms,
    )
    helper_skills_set(actor=user, skills=[(s, "experienced") for s in skills])
    return user


def window(days: float = 2, hours: int = 8) -> tuple[datetime, datetime]:
    start = (timezone.now() + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
    return start, start + timedelta(hours=hours)


def make_request(
    customer: User,
    *,
    skill: str = "tv-set-top-box",
    postcode: str = "8004",
    country: str = "CH",
    days: float = 2,
    **fields: Any,
) -> JobRequest:
    start, end = window(days)
    values: dict[str, Any] = {
        "title": "TV box shows no picture",
        "description": "Since yesterday.",
        "street_address": "Badenerstrasse 12",
        "window_start": start,
        "window_end": end,
    } | fields
    return request_post(actor=customer, skill=skill, country=country, postcode=postcode, **values)


def make_offer(helper: User, request: JobRequest, *, hours_in: int = 1, price: int = 9000) -> Offer:
    start = request.window_start + timedelta(hours=hours_in)
    return offer_create(
        actor=helper,
        request_id=request.pk,
        price_minor=price,
        proposed_start=start,
        proposed_end=start + timedelta(hours=2),
    )


def make_booking(customer: User, helper: User, **request_fields: Any) -> Booking:
    request = make_request(customer, **request_fields)
    offer = make_offer(helper, request)
    return offer_accept(actor=customer, offer_id=offer.pk)


def review_published(actor: User, booking_id: int, rating: int, text: str = "") -> None:
    """A review, published as the reviews tick does when the 14-day blind window ends (the
    other side never reviewed): only then do scores, ranking and webhooks see it."""
    from quartier.reviews.publication import reviews_publish
    from quartier.reviews.services import review_create

    review_create(actor=actor, booking_id=booking_id, rating=rating, text=text)
    reviews_publish(booking_id=booking_id, reason="window_ended")


def arrive(booking: Booking) -> Booking:
    """Move the booked slot to start now (or, when the helper is busy then, just before), so
    the helper may check in (30 minutes early at most): tests book days ahead, the visit
    happens today."""
    duration = booking.ends_at - booking.starts_at
    start = timezone.now()
    # The helper's other bookings keep their slots (PostgreSQL refuses overlaps): go back in
    # time until the slot is free — checking in late is allowed.
    others = Booking.objects.filter(helper_id=booking.helper_id, cancelled_at__isnull=True).exclude(
        pk=booking.pk
    )
    while others.filter(starts_at__lt=start + duration, ends_at__gt=start).exists():
        start -= duration
    Booking.objects.filter(pk=booking.pk).update(starts_at=start, ends_at=start + duration)
    booking.refresh_from_db()
    return booking


def play_visit(
    booking: Booking | int, *, until: str = "signed_off", paid_cash: bool = False
) -> Booking:
    """Play the visit through as its parties would: check-in, check-out (fixed) and the
    customer's sign-off; `until` "checked_in" or "checked_out" stops there."""
    from quartier.bookings.visit import booking_check_in, booking_check_out

    if isinstance(booking, int):
        booking = Booking.objects.get(pk=booking)
    arrive(booking)
    booking_check_in(actor=booking.helper, booking_id=booking.pk)
    if until == "checked_in":
        return Booking.objects.get(pk=booking.pk)
    booking_check_out(actor=booking.helper, booking_id=booking.pk, paid_cash=paid_cash)
    if until == "checked_out":
        return Booking.objects.get(pk=booking.pk)
    return sign_off(booking)


def sign_off(booking: Booking | int) -> Booking:
    """The customer signs off; a partner's case whose contact never confirmed has no
    customer on the booking, so an operator signs off for them."""
    from quartier.bookings.visit import booking_sign_off

    booking = Booking.objects.get(pk=booking if isinstance(booking, int) else booking.pk)
    signer = booking.customer
    if signer is None:
        signer = User.objects.filter(email="operator@quartier.example").first() or make_customer(
            email="operator@quartier.example", is_staff=True
        )
    return booking_sign_off(actor=signer, booking_id=booking.pk)
