"""Shared pieces of the webhook, lifecycle, escalation and SLA tests: a real HTTP receiver
on 127.0.0.1, a partner with an endpoint, and a partner case with a qualified helper."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone

from quartier.accounts.models import User
from quartier.dispatch.models import Invitation
from quartier.dispatch.services import dispatch_first_wave
from quartier.events.outbox import events_deliver
from quartier.partners.cases.services import case_create
from quartier.partners.integration.delivery import delivery_attempt
from quartier.partners.integration.services import endpoint_create
from quartier.partners.models import Case, Partner, Program, WebhookDelivery, WebhookEndpoint
from quartier.partners.states import DeliveryStatus, WebhookEvent
from tests.factories import make_helper
from tests.partners.factories import make_member, make_partner, make_program, make_qualified


@dataclass
class Received:
    body: bytes
    headers: dict[str, str]


@dataclass
class Receiver:
    """What the partner's server got; `answers` are the statuses it replies with, in turn
    (the last one repeats)."""

    url: str
    received: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=lambda: [200])

    def events(self) -> list[str]:
        import json

        return [json.loads(r.body)["type"] for r in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            state.received.append(Received(self.rfile.read(length), dict(self.headers.items())))
            status = state.answers.pop(0) if len(state.answers) > 1 else state.answers[0]
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"ok" if status < 300 else b"try later")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def webhook_settings(settings: Any) -> Any:
    settings.QUARTIER_WEBHOOK_ALLOW_LOOPBACK = True
    settings.QUARTIER_WEBHOOK_TIMEOUT_SECONDS = 5
    settings.QUARTIER_WEBHOOK_DISABLE_AFTER_HOURS = 72
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    return settings


@dataclass
class PartnerSetup:
    partner: Partner
    admin: User
    program: Program
    helper: User
    endpoint: WebhookEndpoint | None = None


def setup_partner(
    url: str | None = None, *, slug: str = "swisstel", events: list[str] | None = None
) -> PartnerSetup:
    partner = make_partner(slug=slug, name=slug.title())
    admin = make_member(partner)
    program = make_program(partner, sla_first_offer_minutes=240, sla_completion_hours=72)
    helper = make_helper(
        email=f"helper@{slug}.example",
        full_name="Hans Meier",
        postcode="8003",
        skills=["internet-wlan"],
        radius_km=20,
    )
    make_qualified(helper, program)
    setup = PartnerSetup(partner, admin, program, helper)
    if url:
        setup.endpoint = endpoint_create(
            actor=admin, partner=partner, url=url, events=events or list(WebhookEvent.values)
        )
    return setup


def open_case(setup: PartnerSetup, reference: str = "T-1001") -> Case:
    return case_create(
        partner=setup.partner,
        program=setup.program.slug,
        service_code="router-setup",
        reference=reference,
        contact_name="Paula Kunde",
        contact_email=f"{reference.lower()}@customers.example",
        contact_phone="+41 79 555 00 11",
        country="CH",
        postcode="8004",
        street_address="Badenerstrasse 1",
        description="The router blinks red.",
        products=[{"kind": "router", "model": "Box 5"}],
    )


def invite(case: Case) -> Invitation:
    """Send the first wave; the qualified helper's invitation."""
    dispatch_first_wave(request_id=case.request_id)
    return Invitation.objects.get(dispatch__request_id=case.request_id)


def deliver_due() -> list[str]:
    """Hand the stored events to their handlers (which write the webhook outbox), then run
    every pending delivery that is due now (what the worker and the tasks would do)."""
    events_deliver()
    due = WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now()
    ).order_by("pk")
    return [delivery_attempt(delivery_id=pk) for pk in due.values_list("pk", flat=True)]


def run_queued_redeliveries() -> list[str]:
    """Run the manual redeliveries waiting in the database queue (what the worker does)."""
    from django_tasks_db.models import DBTaskResult

    from quartier.partners.tasks import webhook_redeliver

    queued = DBTaskResult.objects.filter(task_path=webhook_redeliver.module_path).order_by("pk")
    results = []
    for row in queued:
        results.append(webhook_redeliver.call(*row.args_kwargs["args"]))
        row.delete()
    return results
