"""In real Chromium on a phone, in German: the customer attaches a photo to a posted request,
and the helper invited to it sees the photo on their page of the request."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any

import pytest

from quartier.dispatch.services import dispatch_first_wave
from tests.factories import make_customer, make_helper, make_request
from tests.web.conftest import PHONE
from tests.web.journeys import log_in

pytestmark = pytest.mark.e2e


def png(width: int = 40, height: int = 30) -> bytes:
    """A real (grey) PNG the browser can draw."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_a_photo_the_customer_attaches_is_seen_by_the_invited_helper(
    page_in: Any, settings: Any, tmp_path: Path, shoot: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    anna = make_customer(email="anna@example.com", full_name="Anna Muster")
    hans = make_helper(email="hans@example.com", full_name="Hans Meier", postcode="8003")
    job = make_request(anna, title="Router blinkt rot")
    dispatch_first_wave(request_id=job.pk)

    page = page_in("de", PHONE)
    log_in(page, anna.email, "Anmelden")
    page.goto(f"/requests/{job.pk}")
    page.get_by_label("Fotos hinzufügen").set_input_files(
        files=[{"name": "router.png", "mimeType": "image/png", "buffer": png()}]
    )
    page.get_by_role("button", name="Fotos anhängen").click()
    page.get_by_text("Deine Fotos sind angehängt.").wait_for()
    assert page.get_by_role("img", name="Foto 1").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(page, "de-customer-request-photo")

    helper_page = page_in("de", PHONE)
    log_in(helper_page, hans.email, "Anmelden")
    helper_page.goto(f"/helper/requests/{job.pk}")
    photo = helper_page.get_by_role("img", name="Foto 1")
    photo.wait_for()
    # The element is there before its file has loaded: the width once it has (0 if it fails).
    width = photo.evaluate(
        "img => img.complete ? img.naturalWidth : new Promise(done => {"
        " img.addEventListener('load', () => done(img.naturalWidth));"
        " img.addEventListener('error', () => done(0)); })"
    )
    assert width == 40
    assert helper_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(helper_page, "de-helper-request-photo")
