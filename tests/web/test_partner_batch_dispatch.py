"""The partner sees its backlog and the batch rounds that assigned its cases together: on the
dashboard (English, German, on a phone) and through the API."""

from __future__ import annotations

from typing import Any

import pytest

from quartier.dispatch.batch import dispatch_batch_round
from quartier.dispatch.models import Invitation
from quartier.partners.integration.keys import api_key_create
from quartier.partners.models import Partner
from tests.dispatch.conftest import DB_TASKS
from tests.factories import make_helper
from tests.partners.cases.test_reports import new_case
from tests.partners.factories import make_member, make_partner, make_program, make_qualified
from tests.partners.partner_client import PartnerApi
from tests.web.conftest import PHONE
from tests.web.journeys import log_in


@pytest.fixture(autouse=True)
def batch_settings(settings: Any) -> None:
    settings.TASKS = DB_TASKS  # the first waves wait for the round below
    settings.QUARTIER_DISPATCH_BATCH_MIN = 3


def backlog(waiting: int = 1) -> Partner:
    """SwissTel's three cases were assigned together to three helpers; `waiting` more wait."""
    partner = make_partner()
    program = make_program(partner)
    for i in range(3):
        helper = make_helper(
            email=f"helper{i}@example.com", postcode="8004", skills=["internet-wlan"]
        )
        make_qualified(helper, program)
    for i in range(3):
        new_case(partner, f"B{i}")
    batch = dispatch_batch_round()
    assert batch is not None
    assert batch.assigned == 3
    assert len(set(Invitation.objects.values_list("helper_id", flat=True))) == 3
    for i in range(waiting):
        new_case(partner, f"W{i}")
    return partner


def test_the_dashboard_shows_the_backlog_and_the_last_round(db: None, browser_as: Any):
    partner = backlog()
    member = make_member(partner)

    english = browser_as(member).get("/partner/swisstel/").content.decode()
    german = browser_as(member, "de").get("/partner/swisstel/").content.decode()

    assert "1 open case waits for its first helper." in english
    assert "3 open cases are with invited helpers." in english
    assert "Last batch rounds with your cases" in english
    assert "<td>3</td>" in english  # its cases, and all of them assigned together
    assert "3 of 3 (the round: 3)" in english
    assert "1 offener Fall wartet auf seine erste Helferin" in german
    assert "Letzte Sammelrunden mit deinen Fällen" in german
    assert "3 von 3 (die Runde: 3)" in german


def test_another_partner_sees_nothing_of_it(db: None, browser_as: Any):
    backlog()
    other = make_partner(slug="moebelwerk", name="Möbelwerk")
    make_program(other, country="DE")

    html = browser_as(make_member(other)).get("/partner/moebelwerk/").content.decode()

    assert "0 open cases wait for their first helper." in html
    assert "Last batch rounds" not in html


def test_the_api_gives_the_partner_its_dispatch_summary(db: None):
    partner = backlog(waiting=2)
    _, secret = api_key_create(actor=make_member(partner), partner=partner, name="ops")

    answer = PartnerApi(secret).get("/dispatch")

    assert answer.status_code == 200, answer.content
    body = answer.data
    assert (body["waiting"], body["inviting"], body["batch_min"]) == (2, 3, 3)
    [last] = body["rounds"]
    assert (last["cases"], last["assigned"], last["round_case_by_case"]) == (3, 3, 3)


@pytest.mark.e2e
def test_the_dispatch_panel_reads_on_a_phone_in_german(page_in: Any):
    partner = backlog()
    member = make_member(partner, email="petra@swisstel.example")

    page = page_in("de", PHONE)
    log_in(page, member.email, "Anmelden")
    page.goto("/partner/swisstel/")
    panel = page.locator("section.dispatch-summary")
    panel.wait_for()
    assert "Gemeinsam zugeteilt" in panel.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
