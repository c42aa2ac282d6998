"""The example partner client (examples/partner_client.py) against a live server: programs,
a webhook endpoint on its own local port, a case created twice with one Idempotency-Key,
the signed case.created webhook verified, the case and the report read back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from quartier.partners.integration.keys import api_key_create
from quartier.partners.models import Case, WebhookAttempt
from tests.factories import make_helper
from tests.partners.factories import make_member, make_partner, make_program, make_qualified
from tests.races import reference_data_load

CLIENT = Path(__file__).resolve().parents[2] / "examples" / "partner_client.py"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.django_db(transaction=True)
def test_the_example_client_runs_the_whole_flow(live_server, settings):
    reference_data_load()  # an earlier transactional test may have flushed the postcodes
    helper = make_helper(email="hans@example.com", postcode="8003", skills=["internet-wlan"])
    settings.TASKS = IMMEDIATE  # the server delivers webhooks as soon as the case commits
    settings.QUARTIER_WEBHOOK_ALLOW_LOOPBACK = True
    partner = make_partner()
    program = make_program(partner)
    make_qualified(helper, program)
    _, key = api_key_create(actor=make_member(partner), partner=partner, name="example")

    run = subprocess.run(
        [
            sys.executable,
            str(CLIENT),
            "--base-url",
            live_server.url,
            "--api-key",
            key,
            "--webhook-timeout",
            "20",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    case = Case.objects.get()  # the retry with the same key created no second case
    assert f"created case {case.pk} (201)" in out
    assert f"case {case.pk} again (201, replayed=true)" in out
    assert f"verified webhook case.created for case {case.pk}" in out
    assert "webhooks rejected for a bad signature: 0" in out
    assert "CH-ZH home-internet: 1 cases" in out  # the report counts it, in its canton
    assert WebhookAttempt.objects.filter(response_status=204).exists()
