"""Tenant isolation: a partner's key never sees or changes another partner's cases.

One test per partner endpoint (and the ways around them: filters, cursors, idempotency
replays, program slugs); another partner's case answers exactly like a missing one.
"""

from __future__ import annotations

from typing import Any

from quartier.jobs.states import RequestState
from quartier.partners.cases.selectors import cursor_encode
from quartier.partners.models import Case, CaseNote, Program
from tests.partners.factories import make_program
from tests.partners.partner_client import CASE, PartnerSetup, rival, swisstel

__all__ = ["rival", "swisstel"]


def _rival_case(rival: PartnerSetup) -> int:
    response = rival.api.post("/cases", CASE | {"reference": "RIVAL-1"})
    assert response.status_code == 201
    return int(response.data["id"])


def _is_plain_404(response: Any) -> None:
    assert response.status_code == 404
    assert response.data["code"] == "not_found"
    assert "RIVAL" not in str(response.data)


def test_get_case_of_another_partner_is_404(swisstel: PartnerSetup, rival: PartnerSetup) -> None:
    case_id = _rival_case(rival)

    _is_plain_404(swisstel.api.get(f"/cases/{case_id}"))
    missing = swisstel.api.get(f"/cases/{case_id + 1000}")
    assert missing.data == swisstel.api.get(f"/cases/{case_id}").data  # indistinguishable


def test_cancel_case_of_another_partner_is_404_and_changes_nothing(
    swisstel: PartnerSetup, rival: PartnerSetup
) -> None:
    case_id = _rival_case(rival)

    _is_plain_404(swisstel.api.post(f"/cases/{case_id}/cancel", {"reason": "mine now"}))
    assert Case.objects.get(pk=case_id).request.state == RequestState.REQUESTED


def test_note_on_case_of_another_partner_is_404_and_adds_nothing(
    swisstel: PartnerSetup, rival: PartnerSetup
) -> None:
    case_id = _rival_case(rival)

    _is_plain_404(swisstel.api.post(f"/cases/{case_id}/notes", {"text": "hello"}))
    assert not CaseNote.objects.exists()


def test_list_shows_only_own_cases_whatever_the_filter(
    swisstel: PartnerSetup, rival: PartnerSetup
) -> None:
    _rival_case(rival)
    mine = swisstel.api.post("/cases", CASE).data["id"]

    for query in ("", "?reference=RIVAL-1", "?state=requested", "?program=home-internet"):
        ids = [c["id"] for c in swisstel.api.get(f"/cases{query}").data["items"]]
        assert ids == ([] if "RIVAL" in query else [mine]), query


def test_a_cursor_made_from_another_partners_case_reveals_nothing(
    swisstel: PartnerSetup, rival: PartnerSetup
) -> None:
    case_id = _rival_case(rival)
    rival.api.post("/cases", CASE | {"reference": "RIVAL-2"})
    cursor = cursor_encode(Case.objects.get(pk=case_id))

    data = swisstel.api.get(f"/cases?cursor={cursor}").data

    assert data["items"] == []
    assert data["next_cursor"] is None


def test_programs_list_only_own_programs(swisstel: PartnerSetup, rival: PartnerSetup) -> None:
    make_program(rival.partner, slug="furniture", skill="furniture-assembly", service_code="bed")

    slugs = [p["slug"] for p in swisstel.api.get("/programs").data]

    assert slugs == ["home-internet"]
    assert Program.objects.filter(slug="furniture").exists()


def test_cases_cannot_be_created_in_another_partners_program(
    swisstel: PartnerSetup, rival: PartnerSetup
) -> None:
    make_program(rival.partner, slug="furniture", skill="furniture-assembly", service_code="bed")

    response = swisstel.api.post("/cases", CASE | {"program": "furniture", "service": "bed"})

    assert response.status_code == 422
    assert list(response.data["errors"]) == ["program"]
    assert not Case.objects.exists()


def test_same_slug_programs_stay_apart(swisstel: PartnerSetup, rival: PartnerSetup) -> None:
    """Both partners have `home-internet`: each case lands in its own partner's program."""
    mine = swisstel.api.post("/cases", CASE).data["id"]
    theirs = _rival_case(rival)

    assert Case.objects.get(pk=mine).program == swisstel.program
    assert Case.objects.get(pk=theirs).program == rival.program


def test_an_idempotency_key_never_replays_another_partners_response(
    swisstel: PartnerSetup, rival: PartnerSetup
) -> None:
    theirs = rival.api.post("/cases", CASE | {"reference": "RIVAL-1"}, idempotency_key="same")

    mine = swisstel.api.post("/cases", CASE | {"reference": "RIVAL-1"}, idempotency_key="same")

    assert mine.status_code == 201
    assert "Idempotent-Replayed" not in mine
    assert mine.data["id"] != theirs.data["id"]
    assert Case.objects.get(pk=mine.data["id"]).partner == swisstel.partner
