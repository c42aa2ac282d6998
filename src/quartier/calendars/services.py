"""Private iCal feeds: a member's bookings (as helper and as customer) in their own calendar
app, through a secret, revocable address."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from icalendar import Calendar, Event

from quartier.accounts.models import User
from quartier.bookings.models import Booking
from quartier.bookings.states import BookingState

from .models import CalendarFeed

SALT = "quartier.calendars.feed"
#: Past bookings stay in the feed this long (calendar apps drop what a feed no longer has).
PAST_DAYS = 90


def _feed(user: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


def feed_url(user: User) -> str:
    """The member's private feed address (the same until they revoke it)."""
    # No timestamp (signing.dumps adds one): the address must not change from one second to
    # the next, or the page shows another address than the calendar app subscribed to.
    token = signing.Signer(salt=SALT).sign_object([user.pk, _feed(user).version], compress=True)
    return f"{settings.QUARTIER_SITE_URL.rstrip('/')}/calendar/{token}.ics"


def feed_revoke(user: User) -> str:
    """A new address; the old one answers 404 from now on."""
    with transaction.atomic():
        _feed(user)
        CalendarFeed.objects.filter(user=user).update(version=F("version") + 1)
    return feed_url(user)


def _signed_ids(token: str) -> tuple[int, int] | None:
    """(member, version) from an address, or None. Addresses handed out before carry a
    timestamp (signing.dumps): still good until revoked. A timestamped token also passes the
    plain signer's check (same key and salt) but is not its payload, hence both readers."""
    readers: tuple[Callable[[], Any], ...] = (
        lambda: signing.Signer(salt=SALT).unsign_object(token),
        lambda: signing.loads(token, salt=SALT),
    )
    for read in readers:
        try:
            user_id, version = read()
            return int(user_id), int(version)
        except (signing.BadSignature, ValueError, TypeError):
            continue
    return None


def feed_owner(token: str) -> User | None:
    """The member a feed address belongs to, or None for a forged or revoked one."""
    signed = _signed_ids(token)
    if signed is None:
        return None
    user_id, version = signed
    feed = CalendarFeed.objects.select_related("user").filter(user_id=user_id).first()
    if feed is None or feed.version != version or not feed.user.is_active:
        return None
    return feed.user


def feed_ics(user: User) -> bytes:
    """The member's bookings from PAST_DAYS ago on: time, title, the other party, the place
    (both parties of a booking know the address) and a link to the booking page."""
    site = settings.QUARTIER_SITE_URL.rstrip("/")
    calendar = Calendar()
    calendar.add("prodid", "-//Quartier//Bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Quartier")
    since = timezone.now() - timedelta(days=PAST_DAYS)
    bookings = (
        Booking.objects.filter(Q(helper=user) | Q(customer=user), ends_at__gte=since)
        .select_related("request", "helper", "customer")
        .order_by("starts_at")
    )
    for booking in bookings:
        job = booking.request
        other = booking.customer if booking.helper_id == user.pk else booking.helper
        event = Event()
        event.add("uid", f"booking-{booking.pk}@quartier")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", booking.starts_at)
        event.add("dtend", booking.ends_at)
        event.add("summary", job.title)
        cancelled = booking.state == BookingState.CANCELLED
        # A cancelled booking keeps its place in the calendar, not its address.
        place = f"{job.postcode} {job.locality}"
        event.add("location", place if cancelled else f"{job.street_address}, {place}")
        event.add("description", other.full_name if other is not None else "")
        event.add("url", f"{site}/bookings/{booking.pk}")
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
    ics: bytes = calendar.to_ical()
    return ics
