"""The partner API's integration endpoints: webhook endpoints, their delivery log and the
report, so a partner's system can set itself up without the settings page.

Same key, rate limit and `Idempotency-Key` handling as the case endpoints (partners.api).
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import Field

from quartier.dispatch.backlog import partner_dispatch_summary

from .api import _READ_ERRORS, _WRITE_ERRORS, IdempotencyKey
from .cases.reports import Period, ReportFilters, partner_report
from .integration.auth import PartnerKeyAuth, current_partner, partner_view
from .integration.selectors import delivery_log
from .integration.selectors import endpoint_list as webhook_endpoint_list
from .integration.services import delivery_redeliver, endpoint_create, endpoint_delete
from .models import WebhookEndpoint
from .states import WebhookEvent

router = Router(tags=["partner"], auth=PartnerKeyAuth())


class EndpointIn(Schema):
    url: str = Field(max_length=500, examples=["https://hooks.example.ch/quartier"])
    events: list[str] = Field(min_length=1, description=f"Any of {', '.join(WebhookEvent.values)}.")
    description: str = Field(default="", max_length=120)


class EndpointOut(Schema):
    id: int
    url: str
    events: list[str]
    description: str
    is_enabled: bool
    disabled_reason: str
    created_at: datetime


class EndpointCreatedOut(EndpointOut):
    secret: str = Field(
        description="The Standard Webhooks signing secret (`whsec_...`): verify every delivery "
        "with it. Shown here and on the settings page."
    )


class DeliveryOut(Schema):
    id: int
    msg_id: str
    event_type: str
    case_id: int | None
    status: str
    attempts: int
    last_response_status: int | None
    last_error: str
    created_at: datetime
    next_attempt_at: datetime | None


class RedeliveryOut(Schema):
    delivery_id: int
    queued: bool = Field(
        default=True,
        description="The attempt is made by a worker within seconds; the delivery log "
        "(`GET /partner/webhooks/{endpoint_id}/deliveries`) shows its result.",
    )


class ReportQuery(Schema):
    period: str = Field(default="week", pattern="^(week|month)$")
    since: date | None = None
    until: date | None = Field(default=None, description="Inclusive.")
    program: str | None = Field(default=None, description="A program slug.")


class ReportRowOut(Schema):
    period: date = Field(description="First day of the week (Monday) or month.")
    region: str = Field(description="Country and canton / Land, e.g. `CH-ZH`.")
    program: str
    cases: int
    first_offer_median_minutes: float | None
    resolution_rate: float | None = Field(description="Resolved by the crowd / finished.")
    escalation_rate: float | None
    satisfaction: float | None = Field(description="Mean customer rating of the helpers, 1-5.")
    visits_avoided: int
    cost_avoided_minor: int
    currency: str


class ReportOut(Schema):
    period: str
    rows: list[ReportRowOut]


class BatchRoundOut(Schema):
    started_at: datetime
    cases: int = Field(description="Your cases the round took.")
    assigned: int = Field(description="Of those, the ones it found a helper for.")
    round_cases: int = Field(description="Every partner's cases in the round.")
    round_assigned: int
    round_case_by_case: int = Field(
        description="How many of the round's cases one-by-one dispatch would have placed."
    )
    milliseconds: int


class DispatchSummaryOut(Schema):
    waiting: int = Field(description="Open cases no helper has been invited to yet.")
    inviting: int = Field(description="Open cases with invitations out to helpers.")
    batch_min: int = Field(
        description="From this many waiting cases on (yours and others'), one dispatch round "
        "assigns them together; 0: batch dispatch is off."
    )
    rounds: list[BatchRoundOut] = Field(description="The last rounds that took your cases.")


def _endpoint_out(endpoint: WebhookEndpoint) -> EndpointOut:
    return EndpointOut.model_validate(endpoint, from_attributes=True)


@router.get("/partner/webhooks", response={200: list[EndpointOut], **_READ_ERRORS})
@decorate_view(partner_view(idempotent=False))
def list_endpoints(request: HttpRequest) -> list[EndpointOut]:
    """Your webhook endpoints (the secrets are not repeated)."""
    partner, key = current_partner(request)
    return [_endpoint_out(e) for e in webhook_endpoint_list(actor=key, partner=partner)]


@router.post("/partner/webhooks", response={201: EndpointCreatedOut, **_WRITE_ERRORS})
@decorate_view(partner_view(idempotent=True))
def create_endpoint(
    request: HttpRequest, payload: EndpointIn, idempotency_key: IdempotencyKey = None
) -> Status[EndpointCreatedOut]:
    """Register an https endpoint for the chosen case events; deliveries are signed per
    Standard Webhooks with the returned secret and retried for about three days."""
    partner, key = current_partner(request)
    endpoint = endpoint_create(
        actor=key,
        partner=partner,
        url=payload.url,
        events=payload.events,
        description=payload.description,
    )
    out = EndpointCreatedOut.model_validate(endpoint, from_attributes=True)
    return Status(201, out)


@router.delete("/partner/webhooks/{endpoint_id}", response={204: None, **_WRITE_ERRORS})
@decorate_view(partner_view(idempotent=False))
def delete_endpoint(request: HttpRequest, endpoint_id: int) -> Status[None]:
    partner, key = current_partner(request)
    endpoint_delete(actor=key, partner=partner, endpoint_id=endpoint_id)
    return Status(204, None)


@router.get(
    "/partner/webhooks/{endpoint_id}/deliveries",
    response={200: list[DeliveryOut], **_READ_ERRORS},
)
@decorate_view(partner_view(idempotent=False))
def deliveries(
    request: HttpRequest, endpoint_id: int, status: str | None = None
) -> list[DeliveryOut]:
    """The endpoint's deliveries, newest first (status `pending`, `succeeded` or `failed`)."""
    partner, key = current_partner(request)
    rows = delivery_log(actor=key, partner=partner, endpoint_id=endpoint_id, status=status)
    return [DeliveryOut.model_validate(row, from_attributes=True) for row in rows]


@router.post(
    "/partner/webhooks/deliveries/{delivery_id}/redeliver",
    response={202: RedeliveryOut, **_WRITE_ERRORS},
)
@decorate_view(partner_view(idempotent=True))
def redeliver(
    request: HttpRequest, delivery_id: int, idempotency_key: IdempotencyKey = None
) -> Status[RedeliveryOut]:
    """Send the message again: queued at once (202), attempted by a worker within seconds,
    logged as a manual attempt in the delivery log."""
    partner, key = current_partner(request)
    delivery = delivery_redeliver(actor=key, partner=partner, delivery_id=delivery_id)
    return Status(202, RedeliveryOut(delivery_id=delivery.pk))


@router.get("/partner/reports", response={200: ReportOut, **_READ_ERRORS})
@decorate_view(partner_view(idempotent=False))
def report(request: HttpRequest, query: Query[ReportQuery]) -> ReportOut:
    """Volume, time to first offer, resolution and escalation rates, satisfaction and the
    technician visits and cost avoided, per week or month, region and program."""
    partner, _ = current_partner(request)
    period: Period = "month" if query.period == "month" else "week"
    found = partner_report(
        partner,
        ReportFilters(period=period, since=query.since, until=query.until, program=query.program),
    )
    return ReportOut(
        period=period,
        rows=[
            ReportRowOut(
                period=row.period_start,
                region=row.region_label,
                program=row.program,
                cases=row.volume,
                first_offer_median_minutes=row.first_offer_median_minutes,
                resolution_rate=_float(row.resolution_rate),
                escalation_rate=_float(row.escalation_rate),
                satisfaction=_float(row.satisfaction),
                visits_avoided=row.visits_avoided,
                cost_avoided_minor=row.cost_avoided_minor,
                currency=row.currency,
            )
            for row in found.rows
        ],
    )


@router.get("/partner/dispatch", response={200: DispatchSummaryOut, **_READ_ERRORS})
@decorate_view(partner_view(idempotent=False))
def dispatch_summary(request: HttpRequest) -> DispatchSummaryOut:
    """Your backlog right now, and the last batch rounds that assigned your cases together."""
    partner, _ = current_partner(request)
    summary = partner_dispatch_summary(partner_id=partner.pk)
    return DispatchSummaryOut.model_validate(summary, from_attributes=True)


def _float(value: object) -> float | None:
    return None if value is None else float(str(value))
