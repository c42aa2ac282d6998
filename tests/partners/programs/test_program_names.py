"""Partners name their programs and services in English and German; helpers, customers and
partners read them in their own language, the API returns both, and a case's job is titled
as helpers in the program's markets read it."""

from __future__ import annotations

import pytest

from quartier.partners.models import Case, ProgramService
from tests.factories import make_helper
from tests.partners.partner_client import CASE, PartnerSetup, partner_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def swisstel() -> PartnerSetup:
    setup = partner_setup("swisstel", name_de="Internet zu Hause")
    ProgramService.objects.filter(program=setup.program).update(
        name="Set up the Internet-Box", name_de="Internet-Box einrichten"
    )
    return setup


def test_helpers_read_program_and_service_in_their_language(swisstel, client):
    hans = make_helper(email="hans@x.example", postcode="8003", skills=["internet-wlan"])
    client.force_login(hans)

    german = client.get("/helper/programs", headers={"accept-language": "de"}).content.decode()
    english = client.get("/helper/programs", headers={"accept-language": "en"}).content.decode()

    assert "Internet zu Hause" in german
    assert "Internet-Box einrichten" in german
    assert "Set up the Internet-Box" not in german
    assert "Home Internet" in english
    assert "Set up the Internet-Box" in english


def test_the_api_lists_both_names_and_the_job_is_titled_in_german(swisstel):
    (program,) = swisstel.api.get("/programs").data
    assert (program["name"], program["name_de"]) == ("Home Internet", "Internet zu Hause")
    (service,) = program["services"]
    assert (service["name"], service["name_de"]) == (
        "Set up the Internet-Box",
        "Internet-Box einrichten",
    )

    created = swisstel.api.post("/cases", CASE)
    assert created.status_code == 201, created.data
    assert Case.objects.get(pk=created.data["id"]).request.title == "Internet-Box einrichten"


def test_without_a_german_name_the_english_one_is_shown(client):
    setup = partner_setup("swisstel")
    hans = make_helper(email="hans@x.example", postcode="8003", skills=["internet-wlan"])
    client.force_login(hans)
    german = client.get("/helper/programs", headers={"accept-language": "de"}).content.decode()
    assert setup.program.name in german
