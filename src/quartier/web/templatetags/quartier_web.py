"""Template helpers: money, dates and domain labels in the visitor's language."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django import forms, template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext, pgettext

from quartier.bookings.models import LineKind, OfferStatus, PaymentMethod
from quartier.catalog.models import SkillLevel
from quartier.jobs.states import RequestState
from quartier.money import Money, format_money
from quartier.web import labels

register = template.Library()
EN_DASH = "\u2013"


@register.simple_tag
def money(amount: Money | int | None, currency: str | None = None) -> str:
    """`{% money price_minor currency %}` or `{% money price %}`, in the active language."""
    return "" if amount is None else format_money(amount, currency, locale=get_language())


def _day_format() -> str:
    return pgettext("date format: weekday, day, month, year", "D j M Y")


@register.filter
def when(value: datetime | None) -> str:
    """E.g. "Sat 28 Nov 2026, 09:00" / "Sa, 28. Nov. 2026, 09:00" in local time."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{date_format(local, _day_format())}, {local:%H:%M}"


@register.simple_tag
def time_window(start: datetime, end: datetime) -> str:
    """A time span, the day said once when it is one day: "Sat 28 Nov 2026, 09:00-17:00"."""
    start_local, end_local = timezone.localtime(start), timezone.localtime(end)
    if start_local.date() == end_local.date():
        return f"{when(start)}{EN_DASH}{end_local:%H:%M}"
    return f"{when(start)} {EN_DASH} {when(end)}"


@register.filter
def month_label(value: Any) -> str:
    return date_format(value, pgettext("date format: month and year", "F Y"))


@register.filter
def request_state(value: str) -> str:
    return labels.choice_label(RequestState, value)


@register.filter
def offer_status(value: str) -> str:
    return labels.choice_label(OfferStatus, value)


@register.filter
def line_kind(value: str) -> str:
    return labels.choice_label(LineKind, value)


@register.filter
def payment_method(value: str) -> str:
    return labels.choice_label(PaymentMethod, value)


@register.filter
def decimal_plain(value: Decimal) -> str:
    """A quantity or rate without trailing zeros, in the visitor's format: 1.5 / 1,5; 8.1."""
    return number_format(value.normalize(), use_l10n=True)


@register.filter
def skill_level(value: str) -> str:
    return labels.choice_label(SkillLevel, value)


@register.filter
def km(value: float) -> str:
    return number_format(value, 1)


@register.filter
def field_of(form: forms.BaseForm, name: str) -> forms.BoundField:
    """`form|field_of:name`: a bound field by a name built in the template."""
    return form[name]


#: Abbreviations a partner's diagnostic keys use, written as people read them.
_ABBREVIATIONS = {
    "dsl",
    "wlan",
    "wifi",
    "tv",
    "ip",
    "lan",
    "wan",
    "dns",
    "dhcp",
    "snr",
    "mac",
    "id",
}


@register.filter
def reading_name(key: str) -> str:
    """A partner's diagnostic key as a label: "dsl_sync" -> "DSL sync"."""
    words = str(key).replace("-", "_").split("_")
    shown = [w.upper() if w.lower() in _ABBREVIATIONS else w for w in words if w]
    text = " ".join(shown)
    return text[:1].upper() + text[1:]


@register.filter
def reading_value(value: object) -> str:
    """A diagnostic value in words: yes / no for booleans, a dash for none."""
    if value is True:
        return gettext("yes")
    if value is False:
        return gettext("no")
    if value is None or value == "":
        return "\u2013"
    return str(value)
