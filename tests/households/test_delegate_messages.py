"""A delegate talks to the helper about the member's request: she writes in her own name,
the helper and her father are told, the act is recorded for him, both see the thread in
their inbox, and once revoked she no longer reads it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from quartier.bookings.services import offer_accept
from quartier.households.models import DelegateAct
from quartier.households.services import delegation_revoke
from quartier.notifications.models import Notification
from tests.factories import make_helper, make_offer, make_request
from tests.households.conftest import Household

pytestmark = pytest.mark.django_db


def _thread(job: Any, household: Household) -> str:
    return f"/requests/{job.pk}/conversations/{household.helper.pk}"


def _told(user: Any) -> list[str]:
    """The links of the user's message notices, oldest first."""
    notices = Notification.objects.filter(user=user, kind="message").order_by("id")
    return [n.url for n in notices]


def test_the_daughter_writes_to_the_helper_for_her_father(
    api_as: Any, household: Household
) -> None:
    father, daughter, helper = household.father, household.daughter, household.helper
    job = make_request(father, postcode="6003")
    sent = api_as(daughter).post(_thread(job, household), {"body": "Papa ist ab 14 Uhr da."})
    assert sent.status_code == 201, sent.data
    assert sent.data["mine"] is True

    link = f"/messages/{job.pk}/{helper.pk}"
    assert _told(helper) == [link]
    assert _told(father) == [link]  # said in his name: he is told
    act = DelegateAct.objects.get(delegation=household.delegation)
    assert act.action == "message.sent"

    reply = api_as(helper).post(_thread(job, household), {"body": "Gut, bis dann."})
    assert reply.status_code == 201
    # Both sides of the household hear the helper's answer.
    assert _told(daughter) == [link]
    assert _told(father) == [link, link]
    assert _told(helper) == [link]  # not told of their own answer
    # The father reads the whole thread, his daughter's message not marked as his.
    seen = api_as(father).get(_thread(job, household)).data
    assert [(m["body"], m["mine"]) for m in seen] == [
        ("Papa ist ab 14 Uhr da.", False),
        ("Gut, bis dann.", False),
    ]


def test_the_daughter_finds_the_thread_in_her_inbox_until_revoked(
    api_as: Any, household: Household
) -> None:
    father, daughter = household.father, household.daughter
    job = make_request(father, postcode="6003", title="Fernseher zeigt kein Bild")
    api_as(household.helper).post(_thread(job, household), {"body": "Welches Modell?"})
    browser = Client()
    browser.force_login(daughter)
    inbox = browser.get("/messages")
    assert inbox.status_code == 200
    assert "Fernseher zeigt kein Bild" in inbox.content.decode()
    assert browser.get(f"/messages/{job.pk}/{household.helper.pk}").status_code == 200

    delegation_revoke(actor=father, delegation_id=household.delegation.pk)
    assert api_as(daughter).get(_thread(job, household)).status_code == 404
    refused = api_as(daughter).post(_thread(job, household), {"body": "Noch da?"})
    assert refused.status_code == 404
    assert "Fernseher zeigt kein Bild" not in browser.get("/messages").content.decode()


def test_a_stranger_still_cannot_read_the_thread(api_as: Any, household: Household) -> None:
    job = make_request(household.father, postcode="6003")
    api_as(household.helper).post(_thread(job, household), {"body": "Welches Modell?"})
    assert api_as(household.stranger).get(_thread(job, household)).status_code == 404


def test_the_daughter_writes_in_the_shared_conversation_of_a_move_for_two(
    api_as: Any, household: Household
) -> None:
    father, daughter = household.father, household.daughter
    movers = [
        make_helper(email=f"mover{i}@example.ch", postcode="6003", skills=["tv-set-top-box"])
        for i in range(2)
    ]
    move = make_request(father, postcode="6003", helpers_needed=2)
    for mover in movers:
        offer_accept(actor=father, offer_id=make_offer(mover, move).pk)
    sent = api_as(daughter).post(f"/requests/{move.pk}/team-messages", {"body": "Lift geht."})
    assert sent.status_code == 201, sent.data
    # Both movers and the father are told; the act is his household's record.
    for user in (*movers, father):
        assert Notification.objects.filter(user=user, kind="message").count() == 1
    assert DelegateAct.objects.filter(action="team_message.sent").count() == 1
    thread = api_as(movers[0]).get(f"/requests/{move.pk}/team-messages").data
    assert [m["body"] for m in thread] == ["Lift geht."]

    delegation_revoke(actor=father, delegation_id=household.delegation.pk)
    assert api_as(daughter).get(f"/requests/{move.pk}/team-messages").status_code == 404
