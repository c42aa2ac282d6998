"""The partner's branded entry page `/p/<slug>/` and its embeddable widget.

A partner's customers ask for help themselves, without an account: the form creates a case
through `partners.cases.services.case_create`, exactly as the partner's API would.

- `/p/<slug>/`: the page, under the partner's name, logo and colour (CSRF-protected).
- `/p/<slug>/embed/`: the same form with minimal chrome, for an iframe on the partner's
  site. Only this view may be framed (any origin: `frame-ancestors *`). Browsers do not
  send the CSRF cookie into third-party frames, so this form is CSRF-exempt; it changes no
  session state, has a honeypot field and is rate-limited per address like the page.
- `/p/<slug>/widget.js`: one `<script>` tag that inserts the iframe and keeps its height
  in step with the content (the embed page posts its height with `postMessage`).
"""

from __future__ import annotations

import secrets
from typing import Any

from csp.decorators import csp_replace
from django.conf import settings
from django.core.cache import caches
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from quartier.errors import QuartierError
from quartier.money import format_money
from quartier.partners.facade import case_create, program_list
from quartier.partners.models import Case, Partner, Program

from ..service_errors import add_to_form
from .branded_forms import BrandedCaseForm

#: Submissions per visitor address and partner per hour (a form for people, not scripts);
#: QUARTIER_BRANDED_RATE_LIMIT overrides it. Behind a proxy, REMOTE_ADDR must be the
#: visitor's address (the proxy's trusted forwarding), or all visitors share one budget.
RATE_LIMIT = 10
RATE_WINDOW_SECONDS = 3600
#: The service's field names -> the form's.
FIELDS = {
    "program": "service",
    "products": "product_model",
    "products.0.model": "product_model",
    "products.0.diagnostics": "product_diagnostics",
}


def _partner(slug: str) -> tuple[Partner, list[Program]]:
    partner = Partner.objects.filter(slug=slug, is_active=True).first()
    if partner is None:
        raise Http404
    return partner, program_list(partner)


def _client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _rate_limited(request: HttpRequest, partner: Partner) -> bool:
    """Count one submission; True once the address used up its hour. Counted in the shared
    cache, so every app process sees the same count."""
    key = f"branded:{partner.pk}:{_client_address(request)}"
    cache = caches["shared"]
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    return count > int(getattr(settings, "QUARTIER_BRANDED_RATE_LIMIT", RATE_LIMIT))


def _submit(request: HttpRequest, partner: Partner, programs: list[Program]) -> Any:
    """(form, the case / "bot" / None, HTTP status)."""
    form = BrandedCaseForm(request.POST if request.method == "POST" else None, programs=programs)
    if request.method != "POST":
        return form, None, 200
    if _rate_limited(request, partner):
        form.is_valid()
        form.add_error(None, _("Too many requests from your address. Please try again later."))
        return form, None, 429
    if not form.is_valid():
        return form, None, 422
    if form.cleaned_data.get("website"):  # the honeypot: answer as if done, create nothing
        return form, "bot", 200
    data = form.cleaned_data
    program, service = form.program_and_service()
    try:
        case = case_create(
            partner=partner,
            program=program,
            service_code=service,
            reference=f"WEB-{secrets.token_hex(4).upper()}",
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
            country=data["country"],
            postcode=data["postcode"],
            street_address=data["street_address"],
            description=data["description"],
            products=form.products(),
        )
    except QuartierError as error:
        add_to_form(form, error, FIELDS)
        return form, None, 422
    return form, case, 201


def _render(request: HttpRequest, slug: str, *, embed: bool, template: str) -> HttpResponse:
    partner, programs = _partner(slug)
    form, case, status = _submit(request, partner, programs)
    context: dict[str, Any] = {
        "partner": partner,
        "programs": programs,
        "form": form,
        "embed": embed,
        "action": reverse("web:branded_embed" if embed else "web:branded", args=[slug]),
    }
    if isinstance(case, Case):
        service, currency, language = case.service, case.program.currency, get_language()
        context |= {
            "case": case,
            "price": format_money(service.fixed_price_minor, currency, locale=language),
            # What the customer pays: nothing when the partner pays it all, else their share.
            "customer_pays": format_money(service.customer_share_minor, currency, locale=language),
            "partner_pays_all": service.customer_share_minor == 0,
            "partner_pays_part": 0 < service.partner_share_minor < service.fixed_price_minor,
            "sla_hours": max(1, round(case.program.sla_first_offer_minutes / 60)),
        }
        status = 200
    elif case == "bot":
        context["case"] = None
        context["received"] = True
    return render(request, template, context, status=status if status != 201 else 200)


def branded(request: HttpRequest, slug: str) -> HttpResponse:
    return _render(request, slug, embed=False, template="web/branded/page.html")


@csrf_exempt
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})  # type: ignore[arg-type]
def branded_embed(request: HttpRequest, slug: str) -> HttpResponse:
    return _render(request, slug, embed=True, template="web/branded/embed.html")


@require_GET
@cache_control(public=True, max_age=300)
def widget_js(request: HttpRequest, slug: str) -> HttpResponse:
    partner, _ = _partner(slug)
    embed_url = request.build_absolute_uri(reverse("web:branded_embed", args=[partner.slug]))
    script = render(
        request, "web/branded/widget.js", {"embed_url": embed_url, "partner": partner}
    ).content
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def branded_logo(request: HttpRequest, slug: str) -> HttpResponseBase:
    partner, _ = _partner(slug)
    if not partner.logo:
        raise Http404
    response = FileResponse(partner.logo.open("rb"))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
