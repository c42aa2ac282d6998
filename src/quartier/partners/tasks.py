"""Background work of the partners context (django-tasks): webhook deliveries, plus the
periodic sweep that `quartier worker` runs every tick.

`webhook_deliver` is enqueued by the outbox when a change commits, and again (deferred with
`run_after`) for each retry. Each run re-reads the delivery and only attempts it when it is
still pending and due, so a duplicate or late task is harmless. `partners_tick` retries what
lost tasks left behind and enforces the SLA, straight from the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from django_tasks import task


@task()
def webhook_deliver(delivery_id: int) -> str:
    """One attempt of a due delivery; returns its status afterwards (or "skipped")."""
    from .integration.delivery import delivery_attempt

    return delivery_attempt(delivery_id=delivery_id)


@task()
def webhook_redeliver(delivery_id: int) -> str:
    """A manual redelivery, off the web request: one attempt now, logged as manual."""
    from .integration.delivery import delivery_attempt_now
    from .models import WebhookDelivery

    delivery = WebhookDelivery.objects.select_related("message", "endpoint").get(pk=delivery_id)
    attempt = delivery_attempt_now(delivery=delivery)
    return str(attempt.response_status or attempt.error)


@dataclass
class PartnersTickReport:
    webhooks_retried: int = 0
    cases_escalated: int = 0

    def __bool__(self) -> bool:
        return bool(self.webhooks_retried or self.cases_escalated)


def partners_tick() -> PartnersTickReport:
    """What `quartier worker` runs every tick: overdue webhook retries, then SLA checks."""
    from .cases.sla import sla_sweep
    from .integration.delivery import webhook_sweep
    from .integration.idempotency import idempotency_keys_purge

    report = PartnersTickReport(webhooks_retried=webhook_sweep(), cases_escalated=sla_sweep())
    idempotency_keys_purge()  # Idempotency-Key answers past their retention (indexed DELETE)
    return report
