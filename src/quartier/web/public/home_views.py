"""The home page and the postcode suggestions (public)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from quartier.geo.selectors import postcode_search

from ..selectors import marketplace_stats, skill_groups


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/home.html",
        {"stats": marketplace_stats(), "skill_groups": skill_groups()},
    )


@require_GET
def postcode_suggest(request: HttpRequest) -> HttpResponse:
    """`<option>`s for the postcode field's datalist (htmx swaps them in as you type)."""
    query = (request.GET.get("q") or request.GET.get("postcode") or "").strip()[:50]
    country = request.GET.get("country", "").upper()
    rows = (
        postcode_search(query=query, country=country if country in {"CH", "DE"} else None)
        if query
        else []
    )
    return render(request, "web/partials/postcode_options.html", {"postcodes": rows})


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages without an icon link (the API's JSON, files)."""
    return redirect(static("web/favicon.svg"))
