"""Handing in documents, on the web page and by API; their privacy (only operators open
them, everyone else gets 404); the operator's decision, a rejection's answer; the badge."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from quartier.vetting.models import CheckKind, CheckStatus, VettingCheck, VettingDocument
from quartier.vetting.services import check_approve, check_reject
from tests.factories import make_customer, make_helper, make_request
from tests.mail import send_queued_emails
from tests.vetting.helpers import PDF, hand_in, in_days, pdf, vet

pytestmark = pytest.mark.django_db


def _document_url(document: VettingDocument) -> str:
    return f"/admin/vetting/vettingcheck/document/{document.pk}/"


def test_a_helper_hands_in_a_document_on_the_web_and_sees_its_status(browser_as, helper):
    page = browser_as(helper)
    sent = page.post(
        "/helper/checks",
        {"kind": "identity", "expires_on": in_days(400).isoformat(), "documents": [pdf("id.pdf")]},
        follow=True,
    )
    html = sent.content.decode()
    assert "A person checks it" in html
    assert "Identity document" in html
    assert "Waiting for review" in html
    check = VettingCheck.objects.get(helper=helper)
    assert check.documents.get().name == "id.pdf"
    assert "id.pdf" not in html  # the file is not shown back, nor linked
    assert "/admin/vetting" not in html


def test_the_page_speaks_german(browser_as, helper):
    html = browser_as(helper, language="de").get("/helper/checks").content.decode()
    assert "Prüfungen" in html
    assert "Dokument einreichen" in html


def test_a_file_that_is_not_a_document_is_refused_and_nothing_is_stored(browser_as, helper):
    fake = SimpleUploadedFile("id.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    sent = browser_as(helper).post(
        "/helper/checks",
        {"kind": "identity", "expires_on": in_days(400).isoformat(), "documents": [fake]},
    )
    assert sent.status_code == 200
    assert "Only PDF documents or photos" in sent.content.decode()
    assert not VettingCheck.objects.exists()


def test_the_api_refuses_a_criminal_record_without_its_date(helper):
    client = Client()
    client.force_login(helper)
    answer = client.post(
        "/api/v1/vetting/checks",
        {"kind": "criminal_record", "expires_on": in_days(300).isoformat(), "files": [pdf()]},
        headers={"accept-language": "en"},
    )
    assert answer.status_code == 422
    assert answer["Content-Type"] == "application/problem+json"
    assert "issued_on" in answer.json()["errors"]
    assert not VettingCheck.objects.exists()


def test_only_operators_open_a_document_everyone_else_gets_404(
    browser_as, helper, customer, operator
):
    document = hand_in(helper).documents.get()
    other_helper = make_helper(email="other@example.com")
    staff_without_rights = make_customer(email="staff@example.com", is_staff=True)
    for who in (None, helper, customer, other_helper, staff_without_rights):
        assert browser_as(who).get(_document_url(document)).status_code == 404, who
    opened = browser_as(operator).get(_document_url(document))
    assert opened.status_code == 200
    assert opened.content == PDF
    assert opened["Cache-Control"] == "private, no-store"


def test_the_api_shows_the_status_never_the_file(api_as, helper):
    check = hand_in(helper)
    listed = api_as(helper).get("/vetting/checks")
    assert listed.status_code == 200
    assert listed.data[0]["id"] == check.pk
    assert listed.data[0]["status"] == "pending"
    assert listed.data[0]["documents"] == 1
    assert check.documents.get().file.name not in listed.content.decode()


def test_an_operator_rejects_with_a_reason_and_the_helper_answers(
    browser_as, helper, operator, mailoutbox, django_capture_on_commit_callbacks
):
    check = hand_in(helper)
    admin = browser_as(operator)
    assert "<strong>1</strong>Vetting checks waiting" in admin.get("/admin/").content.decode()
    assert (
        "Save decision"
        in admin.get(f"/admin/vetting/vettingcheck/{check.pk}/change/").content.decode()
    )
    admin.post(
        f"/admin/vetting/vettingcheck/{check.pk}/decide/", {"decision": "reject", "reason": ""}
    )
    check.refresh_from_db()
    assert check.status == CheckStatus.PENDING  # a rejection needs a reason
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(
            f"/admin/vetting/vettingcheck/{check.pk}/decide/",
            {"decision": "reject", "reason": "The photo is blurred."},
        )
    check.refresh_from_db()
    assert check.status == CheckStatus.REJECTED
    send_queued_emails()
    assert "The photo is blurred." in mailoutbox[-1].body

    page = browser_as(helper).get("/helper/checks").content.decode()
    assert "The photo is blurred." in page
    client = Client()  # multipart, as a phone app would send it
    client.force_login(helper)
    reply = client.post(
        f"/api/v1/vetting/checks/{check.pk}/answer",
        {"answer": "A sharper scan.", "files": [pdf("sharp.pdf")]},
    )
    assert reply.status_code == 200, reply.content
    assert reply.json()["status"] == "pending"
    assert check.documents.count() == 2


def test_nobody_answers_another_helpers_check(operator, helper):
    check = hand_in(helper)
    check_reject(actor=operator, check_id=check.pk, reason="Blurred.")
    client = Client()
    client.force_login(make_helper(email="other@example.com"))
    reply = client.post(f"/api/v1/vetting/checks/{check.pk}/answer", {"answer": "Mine!"})
    assert reply.status_code == 404
    check.refresh_from_db()
    assert check.status == CheckStatus.REJECTED
    assert check.answer == ""


def test_customers_see_the_verified_badge_on_matches_and_profiles(
    browser_as, api_as, customer, helper, operator
):
    request = make_request(customer)
    matches = api_as(customer).get(f"/requests/{request.pk}/matches").data
    assert [m["verified"] for m in matches] == [False]
    vet(helper, operator, CheckKind.IDENTITY)

    matches = api_as(customer).get(f"/requests/{request.pk}/matches").data
    assert [m["verified"] for m in matches] == [True]
    assert api_as(customer).get(f"/helpers/{helper.pk}").data["verified"] is True
    assert "✓ Verified" in browser_as(customer).get(f"/requests/{request.pk}").content.decode()
    assert "✓ Verified" in browser_as(None).get(f"/helpers/{helper.pk}").content.decode()


def test_a_second_document_of_a_kind_waits_for_the_first(helper, operator):
    from quartier.errors import Conflict

    hand_in(helper)
    with pytest.raises(Conflict):
        hand_in(helper)
    assert VettingCheck.objects.count() == 1
    check_approve(actor=operator, check_id=VettingCheck.objects.get().pk)
    hand_in(helper)  # a new one (e.g. before expiry) is welcome once the first is decided
    assert VettingCheck.objects.count() == 2
