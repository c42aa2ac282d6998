"""Quartier as an issuer: its entity from `QUARTIER_ISSUER` (JSON), demo defaults otherwise.

Keys: name, street, house_number, postcode, town, country, uid (CHE-…), vat_number
(CHE-… MWST, printed only when `QUARTIER_VAT_REGISTERED`), de_vat_id (USt-IdNr, if any),
iban, email.
"""

from __future__ import annotations

import json
import os
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEMO_ISSUER = {
    "name": "Quartier AG",
    "street": "Hardstrasse",
    "house_number": "201",
    "postcode": "8005",
    "town": "Zürich",
    "country": "CH",
    "uid": "CHE-123.456.789",
    "vat_number": "CHE-123.456.789 MWST",
    "de_vat_id": "",
    "iban": "CH9300762011623852957",
    "email": "billing@quartier.example",
}


def quartier_issuer() -> dict[str, Any]:
    """The configured issuer over the demo defaults (a Django setting wins over the
    environment variable, so tests and deployments may set either)."""
    configured = getattr(settings, "QUARTIER_ISSUER", None)
    if configured is None:
        configured = json.loads(os.environ.get("QUARTIER_ISSUER") or "{}")
    if not isinstance(configured, dict):
        raise ImproperlyConfigured("QUARTIER_ISSUER must be a JSON object.")
    return DEMO_ISSUER | {k: str(v) for k, v in configured.items()}


def quartier_vat_registered() -> bool:
    return bool(getattr(settings, "QUARTIER_VAT_REGISTERED", False))
