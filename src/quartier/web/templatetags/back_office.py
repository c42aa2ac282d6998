"""The operators' queues on the back office's front page: what waits for a decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django import template
from django.db.models import Model, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from quartier.accounts.models import HelperProfile
from quartier.bookings.models import Dispute
from quartier.bookings.plan_change_models import NoShowReport
from quartier.bookings.plan_models import CareLine
from quartier.dispatch.models import Dispatch
from quartier.messaging.models import AbuseReport
from quartier.partners.facade import past_sla
from quartier.partners.models import Case, Qualification
from quartier.reviews.models import ReviewReport
from quartier.vetting.models import VettingCheck

register = template.Library()


@dataclass(frozen=True)
class Queue:
    label: str
    count: int
    url: str


def _queue(label: str, model: type[Model], where: Q, query: str) -> Queue:
    meta = model._meta
    try:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist") + "?" + query
    except NoReverseMatch:  # not in the back office
        url = ""
    return Queue(label, model._default_manager.filter(where).count(), url)


@register.simple_tag
def operator_queues() -> list[Queue]:
    week_ago = timezone.now() - timedelta(days=7)
    return [
        _queue("Open disputes", Dispute, Q(status="open"), "status__exact=open"),
        _queue(
            "Customer care: visits not confirmed", CareLine, Q(status="open"), "status__exact=open"
        ),
        _queue("No-show reports", NoShowReport, Q(decision="open"), "decision__exact=open"),
        _queue(
            "Vetting checks waiting (documents)",
            VettingCheck,
            Q(status="pending"),
            "status__exact=pending",
        ),
        _queue("Reported messages", AbuseReport, Q(status="open"), "status__exact=open"),
        _queue("Reported reviews", ReviewReport, Q(status="open"), "status__exact=open"),
        # The partner decides on its applicants (settings page); operators step in when
        # asked. Only applicants who passed the training can be approved.
        _queue(
            "Qualification applications ready (training passed)",
            Qualification,
            Q(state="applied", training_passed_at__isnull=False),
            "state__exact=applied&training_passed_at__isempty=0",
        ),
        _queue(
            "Partner cases past their SLA, not escalated",
            Case,
            past_sla(timezone.now()),
            "sla=past",
        ),
        _queue(
            "Partner cases escalated (7 days)",
            Case,
            Q(escalated_at__gte=week_ago),
            "escalated_at__isnull=False",
        ),
        _queue(
            "Requests nobody took (7 days)",
            Dispatch,
            Q(state="exhausted", updated_at__gte=week_ago),
            "state__exact=exhausted",
        ),
        _queue(
            "Suspended helpers",
            HelperProfile,
            Q(suspended_at__isnull=False),
            "suspended_at__isnull=False",
        ),
    ]
