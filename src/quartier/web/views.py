"""Public pages. The full web app (every role's journeys) grows here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import marketplace_stats, skill_groups


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/home.html",
        {"stats": marketplace_stats(), "skill_groups": skill_groups()},
    )
