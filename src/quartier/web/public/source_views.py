"""The source code of the running Quartier, as the GNU AGPL (§ 13) asks of a network service.

Quartier is licensed under the AGPL v3 or later: whoever runs a modified copy must offer its
users that copy's source. Rather than trusting each operator to publish it, the site itself
offers an archive of the code it runs: the `quartier` package plus, where they lie beside it
(a checkout), the licence, README, pyproject and lock file. `QUARTIER_SOURCE_URL` may point to a
public repository instead; then the footer links there."""

from __future__ import annotations

import io
import tarfile
from functools import lru_cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

import quartier

PACKAGE = Path(quartier.__file__).resolve().parent
#: Files of a checkout shipped with the package when they exist (an installed wheel has none).
PROJECT_FILES = ("LICENSE", "README.md", "pyproject.toml", "uv.lock", "Makefile")
SKIPPED = {"__pycache__", ".mypy_cache"}


def _included(path: Path) -> bool:
    return not SKIPPED.intersection(path.parts) and path.suffix not in {".pyc", ".mo"}


@lru_cache(maxsize=1)  # the running code does not change: built once per process
def source_archive() -> bytes:
    """A gzip'd tar of the running code under `quartier-source/`; compiled files are left out."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path in sorted(PACKAGE.rglob("*")):
            if path.is_file() and _included(path.relative_to(PACKAGE)):
                relative = path.relative_to(PACKAGE.parent)
                archive.add(path, arcname=f"quartier-source/src/{relative}")
        root = PACKAGE.parent.parent
        for name in PROJECT_FILES:
            if (root / name).is_file():
                archive.add(root / name, arcname=f"quartier-source/{name}")
    return buffer.getvalue()


@require_GET
@cache_control(public=True, max_age=3600)
def source(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(source_archive(), content_type="application/gzip")
    response["Content-Disposition"] = 'attachment; filename="quartier-source.tar.gz"'
    return response
