"""The contexts that hold personal data, in the order they are erased: the account last,
so every other context can still read who the person was while it erases."""

from __future__ import annotations

from types import ModuleType

from quartier.accounts import personal_data as accounts
from quartier.audit import personal_data as audit
from quartier.bookings import personal_data as bookings
from quartier.catalog import personal_data as catalog
from quartier.compliance import personal_data as compliance
from quartier.favourites import personal_data as favourites
from quartier.invoicing import personal_data as invoicing
from quartier.jobs import personal_data as jobs
from quartier.messaging import personal_data as messaging
from quartier.notifications import personal_data as notifications
from quartier.partners import personal_data as partners
from quartier.payments import personal_data as payments
from quartier.reviews import personal_data as reviews
from quartier.series import personal_data as series
from quartier.vetting import personal_data as vetting

CONTEXTS: dict[str, ModuleType] = {
    "series": series,
    "messaging": messaging,
    "reviews": reviews,
    "bookings": bookings,
    "partners": partners,
    "jobs": jobs,
    "compliance": compliance,
    "invoicing": invoicing,
    "payments": payments,
    "notifications": notifications,
    "favourites": favourites,
    "catalog": catalog,
    "vetting": vetting,
    "audit": audit,
    "accounts": accounts,
}
