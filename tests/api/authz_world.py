"""The world of the authorization matrix: nine actors and an object for every path parameter.

The owner (a customer) has a request with the helper's pending offer and a message from the
helper, one the helper has not answered yet, a booked request, a booking in progress, a
completed booking to review and a fixed-price request the helper is invited to. The partner
has a case, a webhook endpoint and a delivery. Everyone else is a stranger to all of it:
the other helper and the pro work far away, in other skills.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from quartier.accounts.models import ApiToken, User
from quartier.accounts.services import api_token_create
from quartier.bookings.availability import availability_exception_add
from quartier.bookings.changes import change_propose
from quartier.dispatch.models import Dispatch, Invitation
from quartier.dispatch.services import dispatch_first_wave, dispatch_for_request
from quartier.dispatch.terms import DispatchTerms
from quartier.events.outbox import events_deliver
from quartier.invoicing.models import Invoice
from quartier.jobs.photos import request_photos_add
from quartier.messaging.services import message_send
from quartier.partners.cases.services import case_create
from quartier.partners.integration.keys import api_key_create
from quartier.partners.integration.services import endpoint_create
from quartier.partners.models import WebhookDelivery
from quartier.partners.states import WebhookEvent
from quartier.reviews.services import review_create
from quartier.series.services import series_accept, series_propose
from quartier.vetting.models import CheckKind, CheckStatus, VettingCheck
from tests.api.authz_households import household_world
from tests.factories import (
    UserFactory,
    make_booking,
    make_customer,
    make_helper,
    make_offer,
    make_request,
    play_visit,
)
from tests.images import JPEG
from tests.invoicing.helpers import payout_profile
from tests.partners.factories import make_member, make_partner, make_program, make_qualified

#: In the order each operation calls them: refusals first, so that an allowed change (a
#: withdrawn offer, a started booking) cannot turn a later actor's refusal into a pass.
ACTORS = (
    "anonymous",
    "owner",
    "other_customer",
    "helper",
    "other_helper",
    "pro",
    "partner",
    "other_partner",
    "operator",
)

#: The owner's and the partner's private details: no answer to a stranger may contain them.
PRIVATE = (
    "Anna Muster",
    "owner@example.com",
    "Badenerstrasse 12",
    "T-1001",
    "paula@customers.example",
)
PASSWORD = "correct horse battery staple"
#: Nothing listens here: a redelivery fails fast, and the attempt is still an answer.
CLOSED_PORT_URL = "http://127.0.0.1:9/hooks"


@dataclass(frozen=True)
class Multipart:
    """A multipart body: photos under the field `photos`, or what `make` gives (form fields
    and files: vetting documents); fresh files for each call."""

    field: str = "photos"
    make: Callable[[], dict[str, Any]] | None = None

    def files(self) -> dict[str, Any]:
        if self.make is not None:
            return self.make()
        return {self.field: [SimpleUploadedFile("router.jpg", JPEG, content_type="image/jpeg")]}


class Caller:
    """Calls /api/v1 with `Authorization: Bearer <secret>` (a user token or a partner key)."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def call(self, method: str, path: str, body: Any = None) -> Any:
        kwargs: dict[str, Any] = {"headers": self.headers}
        if isinstance(body, Multipart):
            kwargs["data"] = body.files()  # multipart/form-data, fresh files for each call
        elif body is not None:
            kwargs["data"] = json.dumps(body, default=str)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(f"/api/v1{path}", **kwargs)


@dataclass
class World:
    users: dict[str, User]
    secrets: dict[str, str | None]
    ids: dict[str, int] = field(default_factory=dict)

    def caller(self, actor: str) -> Caller:
        return Caller(self.secrets[actor])


def _people() -> dict[str, User]:
    helper = make_helper(
        email="helper@example.com",
        full_name="Hans Meier",
        postcode="8003",
        skills=["tv-set-top-box", "internet-wlan"],
        radius_km=20,
    )
    # Far away (Bern) and in other skills: no request of the owner reaches them.
    other_helper = make_helper(
        email="other-helper@example.com", postcode="3011", skills=["gardening"], radius_km=5
    )
    pro = make_helper(
        email="pro@example.com", postcode="3011", skills=["cleaning"], radius_km=5, is_pro=True
    )
    return {
        "owner": make_customer(email="owner@example.com", full_name="Anna Muster"),
        "other_customer": make_customer(email="other@example.com", full_name="Otto Andere"),
        "helper": helper,
        "other_helper": other_helper,
        "pro": pro,
        "operator": UserFactory(email="operator@example.com", is_customer=False, is_staff=True),
    }


def _marketplace(users: dict[str, User]) -> dict[str, int]:
    owner, helper = users["owner"], users["helper"]
    # Invoices are issued in the helper's name once the profile is complete.
    payout_profile(helper, "ch_unregistered", legal_name="Hans Meier", account_holder="Hans Meier")
    offered = make_request(owner, title="TV box shows no picture", days=2)
    offer = make_offer(helper, offered)
    (photo,) = request_photos_add(
        actor=owner, request_id=offered.pk, photos=Multipart().files()["photos"]
    )
    message = message_send(
        actor=helper, request_id=offered.pk, helper_id=helper.pk, body="When suits you?"
    )
    booking = make_booking(owner, helper, days=4, title="Mount the TV")
    done = make_booking(owner, helper, days=6, title="Set up the WLAN", skill="internet-wlan")
    play_visit(done)  # checked in, out and signed off
    reviewed = make_booking(owner, helper, days=14, title="Tune the TV")
    play_visit(reviewed)
    review = review_create(actor=owner, booking_id=reviewed.pk, rating=4)
    review_create(actor=helper, booking_id=reviewed.pk, rating=5)  # both in: published
    awaiting = make_booking(owner, helper, days=7, title="Check the WLAN")
    started = make_booking(owner, helper, days=10, title="Move the router")
    play_visit(awaiting, until="checked_out")
    play_visit(started, until="checked_in")
    change = change_propose(
        actor=helper,
        booking_id=started.pk,
        line={"kind": "material", "label": "HDMI cable", "unit_minor": 1500},
        trader=None,
    )
    unanswered = make_request(owner, days=12, title="Connect the soundbar")
    fixed = make_request(owner, days=8, title="Install the new TV box")
    Dispatch.objects.filter(request=fixed).delete()  # replaced by a fixed-price dispatch
    dispatch_for_request(
        request_id=fixed.pk, terms=DispatchTerms(mode="fixed_price", fixed_price_minor=8900)
    )
    dispatch_first_wave(request_id=fixed.pk)
    soon = timezone.now().replace(microsecond=0) + timedelta(days=20)
    absence = availability_exception_add(
        actor=helper, starts_at=soon, ends_at=soon + timedelta(days=1), reason="Holidays"
    )
    return _series(users, done, reviewed) | {
        "request_id": offered.pk,
        "offer_id": offer.pk,
        "photo_id": photo.pk,  # on the request the helper offered on
        "message_id": message.pk,
        "booking_id": booking.pk,
        "completed_booking_id": done.pk,
        "review_id": review.pk,  # the owner's published review of the helper
        "started_booking_id": started.pk,
        "checked_out_booking_id": awaiting.pk,
        "change_id": change.pk,  # proposed during the started booking's visit
        "unanswered_request_id": unanswered.pk,
        "fixed_request_id": fixed.pk,
        "invitation_id": Invitation.objects.get(dispatch__request=fixed, helper=helper).pk,
        "helper_id": helper.pk,
        "exception_id": absence.pk,
        "token_id": _token_id(owner),
    }


def _series(users: dict[str, User], done: Any, reviewed: Any) -> dict[str, int]:
    """A series the owner proposed (the helper has not agreed yet) and one that runs."""
    owner, helper = users["owner"], users["helper"]
    start = timezone.localtime() + timedelta(days=25)
    start = start.replace(hour=10, minute=0, second=0, microsecond=0)
    proposed = series_propose(
        actor=owner, booking_id=done.pk, frequency="weekly", first_start=start
    )
    running = series_propose(
        actor=owner, booking_id=reviewed.pk, frequency="weekly", first_start=start
    )
    series_accept(actor=helper, series_id=running.pk)
    return {
        "proposed_series_id": proposed.pk,
        "series_id": running.pk,
        "occurrence_id": running.occurrences.earliest("planned_on").pk,
    }


def _token_id(user: User) -> int:
    """A second token of the user's (a lost phone's), to be revoked."""
    api_token_create(user=user)
    return ApiToken.objects.filter(user=user).latest("pk").pk


def _partners(users: dict[str, User]) -> tuple[dict[str, str], dict[str, int]]:
    partner = make_partner(slug="swisstel", name="SwissTel")
    admin = make_member(partner)
    program = make_program(partner, sla_first_offer_minutes=240, sla_completion_hours=72)
    make_qualified(users["helper"], program)
    endpoint = endpoint_create(
        actor=admin, partner=partner, url=CLOSED_PORT_URL, events=list(WebhookEvent.values)
    )
    _, raw = api_key_create(actor=admin, partner=partner, name="CRM")
    case = case_create(
        partner=partner,
        program=program.slug,
        service_code="router-setup",
        reference="T-1001",
        contact_name="Paula Kunde",
        contact_email="paula@customers.example",
        contact_phone="+41 79 555 00 11",
        country="CH",
        postcode="8004",
        street_address="Badenerstrasse 1",
        description="The router blinks red.",
        products=[{"kind": "router", "model": "Box 5"}],
    )
    events_deliver()  # writes the case's webhook deliveries and the completed job's invoice
    rival = make_partner(slug="homefix", name="HomeFix")
    rival_admin = make_member(rival)
    make_program(rival)
    _, rival_raw = api_key_create(actor=rival_admin, partner=rival, name="CRM")
    delivery = WebhookDelivery.objects.filter(endpoint=endpoint).earliest("pk")
    ids = {
        "case_id": case.pk,
        "endpoint_id": endpoint.pk,
        "delivery_id": delivery.pk,
        # The completed booking's (settled first; the reviewed booking's comes second).
        "invoice_id": Invoice.objects.filter(kind="customer_invoice").earliest("pk").pk,
    }
    return {"partner": raw, "other_partner": rival_raw}, ids


def build_world() -> World:
    users = _people()
    ids = _marketplace(users)
    keys, partner_ids = _partners(users)
    secrets: dict[str, str | None] = {"anonymous": None, **keys}
    secrets |= {name: api_token_create(user=user) for name, user in users.items()}
    ids |= partner_ids | _vetting(users) | household_world(users)
    return World(users=users, secrets=secrets, ids=ids)


def _vetting(users: dict[str, User]) -> dict[str, int]:
    """The helper's identity document, rejected with a reason they may answer."""
    check = VettingCheck.objects.create(
        helper=users["helper"],
        kind=CheckKind.IDENTITY,
        status=CheckStatus.REJECTED,
        expires_on=timezone.localdate() + timedelta(days=900),
        reason="The photo is blurred.",
        decided_at=timezone.now(),
        decided_by=users["operator"],
    )
    return {"check_id": check.pk}


def answer_text(response: Any) -> str:
    """The answer as text: of a zip (the data export) all its files, of a PDF its pages."""
    kind = response.get("Content-Type", "").split(";")[0]
    if kind == "application/zip":
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return "\n".join(archive.read(name).decode() for name in archive.namelist())
    if kind == "application/pdf":
        pages = PdfReader(io.BytesIO(response.content)).pages
        return "\n".join(page.extract_text() for page in pages)
    return str(response.content.decode(errors="replace"))
