"""A helper on a phone, in German, hands in an identity document, reads why it was not
accepted and answers it; the page never widens past the phone's screen."""

from __future__ import annotations

from typing import Any

import pytest

from quartier.vetting.models import CheckKind, CheckStatus, VettingCheck
from quartier.vetting.services import check_reject
from tests.factories import make_customer, make_helper
from tests.vetting.helpers import PDF, in_days, require
from tests.web.conftest import PHONE
from tests.web.journeys import log_in, nav_link

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_helper_hands_in_a_document_and_answers_a_rejection_on_a_phone(
    page_in, shoot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    operator = make_customer(email="ops@example.com", is_staff=True, is_superuser=True)
    helper = make_helper(email="bea@example.com", skills=["babysitting"], preferred_language="de")
    require(operator, "babysitting", CheckKind.IDENTITY, CheckKind.CRIMINAL_RECORD)
    page = page_in("de", PHONE)
    log_in(page, helper.email, "Anmelden")

    nav_link(page, "Prüfungen & Dokumente").click()
    page.wait_for_url("**/helper/checks")
    assert "Für deine Fähigkeiten nötig" in page.content()
    page.locator("#id_kind").select_option(CheckKind.IDENTITY)
    page.locator("#id_expires_on").fill(in_days(600).isoformat())
    page.locator("#id_documents").set_input_files(
        {"name": "ausweis.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Einreichen", exact=True).click()
    page.get_by_text("Danke. Eine Person prüft es").wait_for()
    assert "Wird geprüft" in page.content()
    assert _fits(page)
    shoot(page, "vetting-handed-in-de-phone")

    check = VettingCheck.objects.get(helper=helper)
    check_reject(actor=operator, check_id=check.pk, reason="Das Foto ist unscharf.")
    page.reload()
    page.get_by_text("Das Foto ist unscharf.").wait_for()
    page.get_by_label("Deine Antwort").fill("Hier ein schärferer Scan.")
    page.get_by_role("button", name="Antwort senden").click()
    page.get_by_text("Danke: Deine Antwort ist gesendet").wait_for()
    assert _fits(page)
    shoot(page, "vetting-answered-de-phone")
    check.refresh_from_db()
    assert check.status == CheckStatus.PENDING
    assert check.answer == "Hier ein schärferer Scan."
