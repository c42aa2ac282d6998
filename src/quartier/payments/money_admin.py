"""The operators' money pages in the back office (read-only, staff only): the trial balance
per currency with the settlement account's age, and the ledger's transactions by subject."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from quartier.money import CURRENCIES, format_money

from .selectors import ledger_subjects, settlement_age, transactions_for_subject, trial_balance

#: The settlement account may hold partners' money this long (Art. 5 Abs. 3 lit. c BankV).
SETTLEMENT_DAYS = 60


def _page(request: HttpRequest, template: str, title: str, **context: Any) -> HttpResponse:
    return TemplateResponse(
        request,
        f"admin/payments/{template}",
        {**admin.site.each_context(request), "title": title, **context},
    )


def trial_balance_view(request: HttpRequest) -> HttpResponse:
    currencies = []
    for currency, accounts in sorted(trial_balance().items()):
        total = sum(account.balance for account in accounts)
        currencies.append(
            {
                "currency": currency,
                "accounts": [(a, format_money(a.balance, currency, locale="en")) for a in accounts],
                "total": format_money(total, currency, locale="en"),
                "balanced": total == 0,
            }
        )
    ages = []
    for currency in sorted(CURRENCIES):
        age = settlement_age(currency)
        held = format_money(age.held_minor, currency, locale="en")
        ages.append((age, held, age.days > SETTLEMENT_DAYS))
    return _page(
        request,
        "trial_balance.html",
        "Trial balance",
        currencies=currencies,
        ages=ages,
        limit_days=SETTLEMENT_DAYS,
    )


def subjects_view(request: HttpRequest) -> HttpResponse:
    prefix = request.GET.get("prefix", "")[:40]
    return _page(
        request,
        "subjects.html",
        "Ledger by subject",
        subjects=ledger_subjects(prefix=prefix),
        prefix=prefix,
    )


def subject_view(request: HttpRequest, subject: str) -> HttpResponse:
    transactions = list(transactions_for_subject(subject))
    return _page(
        request,
        "subject.html",
        f"Ledger: {subject}",
        subject=subject,
        transactions=[
            (
                booked,
                [
                    (e, format_money(e.amount_minor, e.currency, locale="en"))
                    for e in booked.entries.all()
                ],
            )
            for booked in transactions
        ],
    )


def money_urls() -> list[URLPattern]:
    """Mounted under the ledger accounts' admin; `admin_view` keeps them staff-only."""
    view = admin.site.admin_view
    return [
        path("trial-balance/", view(trial_balance_view), name="payments_trial_balance"),
        path("subjects/", view(subjects_view), name="payments_subjects"),
        path("subjects/<str:subject>/", view(subject_view), name="payments_subject"),
    ]
