"""The household page: in German, a friendly error for a bad invitation, revoking at once,
and the request form's "Who is it for?" only for delegates."""

from __future__ import annotations

from typing import Any

import pytest

from quartier.households.models import Delegation
from quartier.households.services import delegation_accept, delegation_invite
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def test_the_member_invites_sees_and_revokes_in_german(browser_as: Any) -> None:
    father = make_customer(email="walter@example.ch", full_name="Walter Keller")
    daughter = make_customer(email="lena@example.de", full_name="Lena Keller")
    page = browser_as(father, "de")
    assert "Dein Haushalt" in page.get("/me/household").content.decode()
    own = page.post("/me/household", {"email": "walter@example.ch"}).content.decode()
    assert "Du kannst nicht deine eigene Vertrauensperson sein." in own
    assert not Delegation.objects.exists()
    sent = page.post("/me/household", {"email": "lena@example.de"}, follow=True)
    assert "Die Einladung ist verschickt." in sent.content.decode()
    delegation_accept(actor=daughter, delegation_id=Delegation.objects.get().pk)
    assert "Lena Keller" in page.get("/me/household").content.decode()

    form = browser_as(daughter, "de").get("/requests/new").content.decode()
    assert "Für wen ist es?" in form
    assert "Walter Keller" in form
    assert "Für wen ist es?" not in page.get("/requests/new").content.decode()

    page.post(f"/me/household/{Delegation.objects.get().pk}/end")
    assert Delegation.objects.get().revoked_at is not None
    again = browser_as(daughter, "de").get("/requests/new").content.decode()
    assert "Für wen ist es?" not in again


def test_a_stranger_cannot_accept_or_revoke(browser_as: Any) -> None:
    father = make_customer(full_name="Walter Keller")
    invited = delegation_invite(actor=father, email="lena@example.de")
    stranger = browser_as(make_customer(email="sam@example.ch"))
    answer = stranger.post(f"/me/household/{invited.pk}/answer", {"answer": "accept"})
    assert answer.status_code == 404
    assert stranger.post(f"/me/household/{invited.pk}/end").status_code == 404
    assert Delegation.objects.get().state == "invited"
