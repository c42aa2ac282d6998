"""Template helpers of the partner area: SLA and case-state labels, rates, durations."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext

from quartier.jobs.states import RequestState
from quartier.web import labels
from quartier.web.partner.forms import (
    ESCALATION_LABELS,
    NOTE_AUTHORS,
    SLA_LABELS,
)

register = template.Library()


@register.filter
def sla_label(value: str) -> str:
    return labels.label(SLA_LABELS, value)


@register.filter
def case_state(value: str) -> str:
    return labels.choice_label(RequestState, value)


@register.filter
def escalation_reason(value: str) -> str:
    return labels.label(ESCALATION_LABELS, value)


@register.filter
def note_author(value: str) -> str:
    return labels.label(NOTE_AUTHORS, value)


@register.filter
def percent(value: Decimal | None) -> str:
    """0.857 -> "85.7 %"; no figure -> an en dash."""
    if value is None:
        return "\u2013"
    return f"{number_format(value * 100, 1)}\u00a0%"


@register.filter
def minutes(value: float | None, unit: str = "") -> str:
    """A duration in minutes as people say it: "45 min", "3.5 h"; `unit` ("min" or "h")
    holds a table column to one unit."""
    if value is None:
        return "\u2013"
    if unit == "min" or (unit != "h" and value < 120):
        return gettext("%(n)s min") % {"n": number_format(value, 0)}
    return gettext("%(n)s h") % {"n": number_format(round(value / 60, 1), 1)}


@register.filter
def rating(value: Decimal | None) -> str:
    return "\u2013" if value is None else number_format(value, 2)
