"""The HTTP API at /api/v1/: mounts every context's router; errors are problem+json."""

from __future__ import annotations

from ninja import NinjaAPI

from quartier.bookings.api import router as bookings_router
from quartier.bookings.availability_api import router as availability_router
from quartier.bookings.counter_api import router as counter_router
from quartier.bookings.withdrawal_api import router as withdrawal_router
from quartier.calendars.api import router as calendar_router
from quartier.catalog.api import router as catalog_router
from quartier.compliance.api import router as compliance_router
from quartier.directory.api import router as directory_router
from quartier.dispatch.api import router as dispatch_router
from quartier.dispatch.requests_api import router as requests_router
from quartier.favourites.api import router as favourites_router
from quartier.geo.api import router as geo_router
from quartier.households.api import router as households_router
from quartier.invoicing.api import router as invoicing_router
from quartier.matching.api import router as matching_router
from quartier.messaging.api import router as messaging_router
from quartier.partners.api import PARTNER_API_DESCRIPTION
from quartier.partners.api import router as partner_router
from quartier.partners.integration_api import router as partner_integration_router
from quartier.payments.api import router as payments_router
from quartier.payments.payout_api import partner_router as partner_statements_router
from quartier.payments.payout_api import router as payout_profile_router
from quartier.problems import install_problem_handlers
from quartier.reviews.api import router as reviews_router
from quartier.series.api import router as series_router
from quartier.vetting.api import router as vetting_router

from .account_settings import router as account_settings_router
from .changes import router as changes_router
from .checkout import router as checkout_router
from .direct import router as direct_router
from .parser import TextParser
from .people import router as accounts_router
from .privacy import router as privacy_router
from .visit_plan import router as visit_plan_router

api = NinjaAPI(
    title="Quartier API",
    version="1.0.0",
    urls_namespace="api-v1",
    parser=TextParser(),
    description=(
        "Local services in Switzerland and Germany: post a request, get matched with nearby "
        "helpers, book, and review. Authenticate with `Authorization: Bearer <token>` from "
        "`POST /auth/login`, or with the browser session. Errors are RFC 9457 "
        "`application/problem+json` with a stable `code` and per-field `errors`."
    ),
    openapi_extra={"tags": [{"name": "partner", "description": PARTNER_API_DESCRIPTION}]},
)
install_problem_handlers(api)
for router in (
    accounts_router,
    account_settings_router,
    privacy_router,
    catalog_router,
    geo_router,
    requests_router,
    matching_router,
    bookings_router,
    counter_router,
    invoicing_router,
    checkout_router,
    direct_router,
    changes_router,
    visit_plan_router,
    withdrawal_router,
    availability_router,
    calendar_router,
    reviews_router,
    series_router,
    dispatch_router,
    messaging_router,
    directory_router,
    favourites_router,
    households_router,
    partner_router,
    partner_integration_router,
    payments_router,
    payout_profile_router,
    compliance_router,
    vetting_router,
    partner_statements_router,
):
    api.add_router("", router)
