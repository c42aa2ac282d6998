"""A JSON client for the partner API (key auth, Idempotency-Key) and a ready partner setup.

Test modules import the fixtures they use by name (`swisstel`, `rival`) from here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from quartier.partners.integration.keys import api_key_create
from quartier.partners.models import Partner, PartnerApiKey, Program
from tests.partners.factories import make_member, make_partner, make_program

CASE: dict[str, Any] = {
    "program": "home-internet",
    "service": "router-setup",
    "reference": "TT-4711",
    "contact_name": "Anna Muster",
    "contact_email": "anna.muster@example.ch",
    "contact_phone": "+41 79 111 22 33",
    "country": "CH",
    "postcode": "8004",
    "street_address": "Badenerstrasse 12",
    "description": "No internet since the storm.",
    "products": [{"kind": "router", "model": "FRITZ!Box 7590", "diagnostics": {"dsl": False}}],
}


class PartnerApi:
    def __init__(self, raw_key: str | None) -> None:
        self.client = Client()
        self.raw_key = raw_key

    def call(
        self, method: str, path: str, body: Any = None, *, idempotency_key: str | None = None
    ) -> Any:
        headers: dict[str, str] = {}
        if self.raw_key is not None:
            headers["Authorization"] = f"Bearer {self.raw_key}"
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        kwargs: dict[str, Any] = {"headers": headers}
        if method == "post":
            kwargs["data"] = body if isinstance(body, str | bytes) else json.dumps(body or {})
            kwargs["content_type"] = "application/json"
        response = getattr(self.client, method)(f"/api/v1/partner{path}", **kwargs)
        response.data = response.json() if response.content else None
        return response

    def get(self, path: str) -> Any:
        return self.call("get", path)

    def post(self, path: str, body: Any = None, *, idempotency_key: str | None = None) -> Any:
        return self.call("post", path, body, idempotency_key=idempotency_key)


@dataclass
class PartnerSetup:
    partner: Partner
    program: Program
    key: PartnerApiKey
    raw_key: str
    api: PartnerApi


def partner_setup(slug: str = "swisstel", **program_fields: Any) -> PartnerSetup:
    """A partner with an admin, the `home-internet` program (router-setup, all of CH), a key."""
    partner = make_partner(slug=slug, name=slug.title())
    admin = make_member(partner)
    program = make_program(partner, **program_fields)
    key, raw = api_key_create(actor=admin, partner=partner, name="CRM")
    return PartnerSetup(partner, program, key, raw, PartnerApi(raw))


@pytest.fixture
def swisstel(db: None) -> PartnerSetup:
    return partner_setup("swisstel")


@pytest.fixture
def rival(db: None) -> PartnerSetup:
    """Another partner with the same program slug and service code."""
    return partner_setup("homefix")
