"""The authorization matrix of a household: the member, their delegate, a former delegate,
a stranger and an operator, for every household operation and for what a delegate does on
the member's objects (read, book, approve a change, sign off, pay, cancel, write to the
helper).

"A" is allowed (a 2xx, or a 409 when a business rule refuses after an earlier allowed actor
changed the object); a refusal is a problem+json 404 for anyone who is no party (a former
delegate included) or 403 for a party who may not. Refusals leave the tables as they were.
"""

from __future__ import annotations

from typing import Any

import pytest

from quartier.bookings.changes import change_propose
from quartier.households.services import delegation_invite, delegation_revoke
from tests.api_checks import snapshot
from tests.factories import (
    make_booking,
    make_customer,
    make_helper,
    make_offer,
    make_request,
    play_visit,
)
from tests.households.conftest import household_of

pytestmark = pytest.mark.django_db

#: In calling order (refusals are called first): the delegate acts before the member.
ACTORS = ("stranger", "former", "operator", "delegate", "member")

# fmt: off
ROWS: list[tuple[str, str, Any, str]] = [
    # method, path, body,                                       stranger former op delegate member
    ("get",    "/me/household", None,                             "A   A   A   A   A"),
    ("get",    "/me/household/acts", None,                        "A   A   A   A   A"),
    ("post",   "/me/household/delegates", {"email": "x@example.com"}, "A   A   A   A   A"),
    ("post",   "/me/household/invitations/{invitation}/accept", None, "404 404 404 A   404"),
    ("post",   "/me/household/invitations/{invitation}/decline", None, "404 404 404 A   404"),
    ("delete", "/me/household/delegations/{delegation}", None,     "404 404 404 A   A"),
    ("get",    "/requests", None,                                 "A   A   A   A   A"),
    ("get",    "/requests/{request}", None,                       "404 404 A   A   A"),
    ("get",    "/requests/{request}/offers", None,                "404 404 A   A   A"),
    ("get",    "/offers/{offer}/checkout", None,                  "404 404 403 A   A"),
    ("post",   "/offers/{offer}/accept", {"payment_method": "cash"}, "404 404 403 A   A"),
    ("post",   "/requests/{request}/cancel", {"reason": "solved"}, "404 404 A   A   A"),
    ("get",    "/bookings/{booking}", None,                       "404 404 A   A   A"),
    ("patch",  "/bookings/{booking}/payment", {"tip_minor": 500}, "404 404 403 A   A"),
    ("post",   "/bookings/{started}/changes/{change}/approve", None, "404 404 403 A   A"),
    ("post",   "/bookings/{done}/sign-off", None,                 "404 404 A   A   A"),
    ("get",    "/requests/{request}/conversations/{helper}", None, "404 404 A   A   A"),
    ("post",   "/requests/{request}/conversations/{helper}", {"body": "Ab 14 Uhr?"},
                                                                  "404 404 403 A   A"),
]
# fmt: on


def _world() -> tuple[dict[str, Any], dict[str, int]]:
    member = make_customer(email="walter@example.ch", full_name="Walter Keller")
    delegate = make_customer(email="lena@example.de", full_name="Lena Keller")
    former = make_customer(email="former@example.ch")
    helper = make_helper(email="hans@example.ch", postcode="8003")
    household_of(member, delegate)
    delegation_revoke(actor=member, delegation_id=household_of(member, former).pk)
    users = {
        "member": member,
        "delegate": delegate,
        "former": former,
        "stranger": make_customer(email="stranger@example.ch"),
        "operator": make_customer(email="ops@example.com", is_staff=True),
    }
    job = make_request(member, days=3)
    started = play_visit(make_booking(member, helper, days=5), until="checked_in")
    line = {"kind": "material", "label": "Kabel", "unit_minor": 1500}
    change = change_propose(actor=helper, booking_id=started.pk, line=line, trader=None)
    done = play_visit(make_booking(member, helper, days=7), until="checked_out")
    ids = {
        "request": job.pk,
        "helper": helper.pk,
        "offer": make_offer(helper, job).pk,
        "booking": make_booking(member, helper, days=9).pk,
        "started": started.pk,
        "change": change.pk,
        "done": done.pk,
        "invitation": delegation_invite(actor=make_customer(), email=delegate.email).pk,
        "delegation": delegate.delegations_held.get(revoked_at__isnull=True).pk,
    }
    return users, ids


@pytest.mark.parametrize(("method", "path", "body", "answers"), ROWS, ids=[r[1] for r in ROWS])
def test_each_household_role_gets_the_answer_of_the_matrix(
    api_as: Any, method: str, path: str, body: Any, answers: str
) -> None:
    users, ids = _world()
    expected = dict(zip(ACTORS, answers.split(), strict=True))
    url = path.format(**ids)
    callers = {actor: api_as(users[actor]) for actor in ACTORS}  # their tokens first
    before, wrong = snapshot(), []
    for actor in sorted(ACTORS, key=lambda a: expected[a] == "A"):  # refusals first
        response = getattr(callers[actor], method)(url, *([body] if body else []))
        status = response.status_code
        if expected[actor] == "A":
            if not (200 <= status < 300 or status == 409):
                wrong.append(f"{actor}: {status} {response.data}")
            continue
        if status != int(expected[actor]):
            wrong.append(f"{actor}: {status}, expected {expected[actor]}")
        elif response["Content-Type"] != "application/problem+json":
            wrong.append(f"{actor}: a refusal must be problem+json")
        elif snapshot() != before:
            wrong.append(f"{actor}: the refused call changed the data")
    assert not wrong, f"{method.upper()} {path}:\n" + "\n".join(wrong)
