"""What the browser is told: a Content Security Policy the pages live with, and HTTPS."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from quartier.web.checks import static_problems

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "quartier" / "web"


def test_no_template_runs_inline_code_the_policy_would_block():
    """Inline scripts and styles carry the response's nonce; no inline handlers, no hx-on
    (htmx would eval it). A new one would be dead code in every browser."""
    offences = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", text):
            if "src=" not in tag and 'nonce="{{ request.csp_nonce }}"' not in tag:
                offences.append(f"{path.name}: {tag}")
        offences += [f"{path.name}: {m}" for m in re.findall(r"\s(?:on[a-z]+|hx-on\S*)=", text)]
    assert offences == []


@pytest.mark.django_db
def test_pages_carry_a_policy_whose_nonce_their_inline_blocks_use(client: Client):
    from tests.partners.factories import make_partner, make_program

    make_program(make_partner(slug="swisstel", brand_color="#e2001a"))
    for url in ("/", "/p/swisstel/", "/p/swisstel/embed/"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "object-src 'none'" in policy
        # The policy names a nonce exactly when the page has inline blocks, and it is theirs.
        nonces = set(re.findall(r"'nonce-([^']+)'", policy))
        inline = re.findall(r"<(?:script|style) nonce=\"([^\"]+)\"", response.content.decode())
        assert set(inline) == nonces, url
    assert inline  # the embed has its height reporter


@pytest.mark.django_db
@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SECURE_HSTS_SECONDS=31536000,
)
def test_behind_a_tls_proxy_links_say_https_and_plain_http_is_redirected():
    from tests.partners.factories import make_partner

    make_partner(slug="swisstel")
    https = {"X-Forwarded-Proto": "https", "Host": "testserver"}
    widget = Client().get("/p/swisstel/widget.js", headers=https)
    plain = Client().get("/p/swisstel/")
    probe = Client().get("/healthz")

    assert "https://testserver/p/swisstel/embed/" in widget.content.decode()
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    assert probe.status_code == 200  # probes come from inside, over http
    assert "max-age=31536000" in Client().get("/", headers=https)["Strict-Transport-Security"]


def test_production_mode_passes_djangos_deployment_check(tmp_path: Path):
    env = {
        **os.environ,
        "QUARTIER_ENV": "production",
        "SECRET_KEY": "k" * 20 + "-production-secret-" + "z" * 30,
        "ALLOWED_HOSTS": "quartier.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "QUARTIER_VAR_DIR": str(tmp_path),
    }
    # The browser tests' session fixture sets this in the worker's environment (Playwright
    # keeps an event loop); a real deployment never does, and the deploy check says so.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-m", "quartier.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Static files are not collected in this fresh directory: the one thing it may say.
    out = result.stdout + result.stderr
    issues = [line for line in out.splitlines() if re.match(r"^\S+: \(", line)]
    assert [i for i in issues if "quartier.W001" not in i] == [], out


def test_the_start_up_check_finds_uncollected_static_files(tmp_path: Path):
    with override_settings(DEBUG=False, STATIC_ROOT=tmp_path):
        assert [p.id for p in static_problems()] == ["quartier.W001"]
        (tmp_path / "web").mkdir()
        (tmp_path / "web" / "quartier.css").write_text("body {}")
        assert static_problems() == []
