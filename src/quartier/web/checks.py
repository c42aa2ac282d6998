"""A start-up check: the pages' static files are collected where they are served from.

Without `collectstatic`, production's manifest storage cannot name a single stylesheet and
every HTML page answers 500; elsewhere pages lose their styles. `quartier check` reports
it as a warning (a deployment may migrate before it collects), and the WSGI application
refuses to start with it (quartier/wsgi.py), so the mistake shows at deployment instead of
at the first visitor.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Warning, register

#: A file every page links to: if it was collected, the rest was.
PROBE = "web/quartier.css"


def static_problems() -> list[Warning]:
    if settings.DEBUG:  # runserver serves from the apps' own directories
        return []
    root = Path(settings.STATIC_ROOT)
    manifest = "Manifest" in str(settings.STORAGES["staticfiles"]["BACKEND"])
    missing = "staticfiles.json" if manifest else PROBE
    if (root / missing).exists():
        return []
    return [
        Warning(
            f"Static files are not collected: {root / missing} is missing.",
            hint="Run `quartier collectstatic --no-input` (make run does).",
            id="quartier.W001",
        )
    ]


@register("staticfiles", deploy=False)
def check_static_collected(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    return static_problems()
