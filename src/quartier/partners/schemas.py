"""Partner API schemas: separate input and output per operation."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Schema
from pydantic import AwareDatetime, Field, create_model

from quartier.schemas import list_of, out_schema

from .cases.selectors import CaseView, EscalationView, HelperView, NoteView


class ProductIn(Schema):
    kind: str = Field(min_length=1, max_length=200, description="What it is.", examples=["router"])
    model: str = Field(
        min_length=1, max_length=200, description="Make and model.", examples=["FRITZ!Box 7590"]
    )
    diagnostics: dict[str, Any] | None = Field(
        default=None,
        description="Anything your remote diagnosis found, shown to the helper as is.",
        examples=[{"dsl_sync": False, "firmware": "7.57"}],
    )


class CaseIn(Schema):
    program: str = Field(
        description="The program's slug (see `GET /partner/programs`).", examples=["home-internet"]
    )
    service: str = Field(
        description="The service's code within the program.", examples=["router-setup"]
    )
    reference: str = Field(
        min_length=1,
        max_length=100,
        description="Your own reference (ticket number); filterable, not required unique.",
        examples=["TT-2026-004711"],
    )
    contact_name: str = Field(min_length=1, max_length=150, examples=["Anna Muster"])
    contact_email: str = Field(
        max_length=254,
        description="The customer's e-mail; identifies the customer across cases.",
        examples=["anna.muster@example.ch"],
    )
    contact_phone: str = Field(default="", max_length=32, examples=["+41 79 111 22 33"])
    country: Literal["CH", "DE"]
    postcode: str = Field(
        max_length=10, description="Must lie in one of the program's regions.", examples=["8004"]
    )
    street_address: str = Field(
        min_length=1,
        max_length=200,
        description="Shown only to the helper who is booked.",
        examples=["Badenerstrasse 12"],
    )
    description: str = Field(
        default="", max_length=4000, description="What the customer reported, for the helper."
    )
    products: list[ProductIn] = Field(
        default_factory=list, max_length=20, description="Installed products (at most 20)."
    )
    window_start: AwareDatetime | None = Field(
        default=None, description="When the customer is available; default: now."
    )
    window_end: AwareDatetime | None = Field(
        default=None, description="Default: the SLA's completion deadline."
    )


class CancelIn(Schema):
    reason: str = Field(default="", max_length=180, examples=["Customer fixed it themselves."])


class NoteIn(Schema):
    text: str = Field(min_length=1, max_length=4000, examples=["Customer prefers mornings."])


HelperOut = out_schema(
    HelperView,
    name="HelperOut",
    descriptions={"rating": "Average 1..5 in the service's skill; null: none."},
)
EscalationOut = out_schema(
    EscalationView,
    name="EscalationOut",
    descriptions={"reason": "helper | sla | triage | partner"},
)
NoteOut = out_schema(
    NoteView,
    name="NoteOut",
    descriptions={"author_kind": "partner | helper | operator | system"},
)
CaseOut = out_schema(
    CaseView,
    name="CaseOut",
    descriptions={
        "state": "requested | offered | booked | in_progress | completed | closed | "
        "cancelled | escalated",
        "price_minor": "The fixed price in minor units (Rappen / Cent).",
        "first_offer_due_at": "SLA: a helper takes the job by then.",
        "completion_due_at": "SLA: the job is done by then.",
        "sla_status": "on_track / at_risk (less than a quarter of the time to the next SLA "
        "deadline left) / breached (a deadline passed before its milestone, or escalated "
        "for the SLA) / met (finished, cancelled or handed to your technicians in time).",
        "helper": "The booked helper, once booked.",
    },
    nested={HelperView: HelperOut, EscalationView: EscalationOut, NoteView: NoteOut},
)
CaseListOut: type[Schema] = create_model(
    "CaseListOut",
    __base__=Schema,
    __module__=__name__,
    items=(list_of(CaseOut), ...),
    next_cursor=(
        str | None,
        Field(description="Pass as `cursor` for the next page; null on the last page."),
    ),
)


class ServiceOut(Schema):
    code: str
    name: str = Field(description="The name in English, as helpers and customers read it.")
    name_de: str = Field(description="The name in German (empty: the English one is shown).")
    description: str
    price_minor: int
    currency: str
    duration_minutes: int
    payer: str = Field(description="customer | partner | split")
    partner_share_percent: int


class RegionOut(Schema):
    country: str
    region: str = Field(description="Canton / Land code; empty: the whole country.")
    postcode_prefix: str = Field(description="Empty: any postcode.")


class ProgramOut(Schema):
    slug: str
    name: str = Field(description="The name in English.")
    name_de: str = Field(description="The name in German (empty: the English one is shown).")
    description: str
    currency: str
    sla_first_offer_minutes: int
    sla_completion_hours: int
    services: list[ServiceOut]
    regions: list[RegionOut] = Field(description="Empty: the whole country of the currency.")


class ProblemOut(Schema):
    """RFC 9457 problem details (served as `application/problem+json`)."""

    type: str = Field(examples=["about:blank"])
    title: str = Field(examples=["Unprocessable Content"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["Some fields are invalid: postcode."])
    code: str = Field(
        description="Stable, branch on it: invalid, invalid_api_key, not_found, rate_limited, "
        "idempotency_key_reused, idempotency_key_in_flight, case_not_cancellable, ...",
        examples=["invalid"],
    )
    errors: dict[str, list[str]] = Field(
        description="Messages per field path, e.g. `products.0.model`.",
        examples=[{"postcode": ["This postcode lies outside the program's regions."]}],
    )
