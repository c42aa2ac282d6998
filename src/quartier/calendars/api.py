"""Calendar API: the member's private iCal feed address, and revoking it."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from quartier.accounts.auth import api_auth, current_user

from .services import feed_revoke, feed_url

router = Router(tags=["calendar"])


class CalendarFeedOut(Schema):
    url: str = Field(
        description="Your bookings as an iCal feed (RFC 5545) for your calendar app. Keep it "
        "private: anyone with the address sees your bookings' times and places."
    )


@router.get("/me/calendar", response=CalendarFeedOut, auth=api_auth)
def calendar_feed(request: HttpRequest) -> CalendarFeedOut:
    """Your private calendar feed address (the same until you revoke it)."""
    return CalendarFeedOut(url=feed_url(current_user(request)))


@router.post("/me/calendar/revoke", response=CalendarFeedOut, auth=api_auth)
def calendar_feed_revoke(request: HttpRequest) -> CalendarFeedOut:
    """Revoke the feed address (the old one answers 404 from now on) and get a new one."""
    return CalendarFeedOut(url=feed_revoke(current_user(request)))
