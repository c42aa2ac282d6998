"""The households' part of the authorization matrix: the rows of its operations (nine
actors, as in test_authorization_matrix.py) and the world's household.

In the world, the owner (Anna) has a delegate who is none of the nine actors, and another
member (Gustav, none of them either) invited the other customer's address. So no actor acts
for anyone, and every other row stays as it was. The member / delegate / former-delegate
columns are in tests/api/test_household_matrix.py.
"""

from __future__ import annotations

from typing import Any

from quartier.accounts.models import User
from quartier.households.services import delegation_accept, delegation_invite
from tests.factories import make_customer

#: operation id -> answers in the order of ACTORS (anon own oc hlp oh pro pa opa op).
HOUSEHOLD_ROWS: dict[str, str] = {
    "quartier_households_api_household": "401 A   A   A   A   A   401 401 A",
    "quartier_households_api_delegate_acts": "401 A   A   A   A   A   401 401 A",
    "quartier_households_api_invite_delegate": "401 A   A   A   A   A   401 401 A",
    # Only the account with the invited address; everyone else: 404.
    "quartier_households_api_accept_invitation": "401 404 A   404 404 404 401 401 404",
    "quartier_households_api_decline_invitation": "401 404 A   404 404 404 401 401 404",
    # The member (or the delegate, none of the actors here); everyone else: 404.
    "quartier_households_api_revoke_delegation": "401 A   404 404 404 404 401 401 404",
}

HOUSEHOLD_OVERRIDES: dict[str, dict[str, str]] = {
    "quartier_households_api_accept_invitation": {"delegation_id": "household_invitation_id"},
    "quartier_households_api_decline_invitation": {"delegation_id": "household_invitation_id"},
}

HOUSEHOLD_BODIES: dict[str, Any] = {
    "quartier_households_api_invite_delegate": {"email": "friend@example.com"},
}


def household_world(users: dict[str, User]) -> dict[str, int]:
    daughter = make_customer(email="dora@example.com", full_name="Dora Tochter")
    invited = delegation_invite(actor=users["owner"], email=daughter.email)
    delegation_accept(actor=daughter, delegation_id=invited.pk)
    gustav = make_customer(email="gustav@example.com", full_name="Gustav Gross")
    invitation = delegation_invite(actor=gustav, email=users["other_customer"].email)
    return {"delegation_id": invited.pk, "household_invitation_id": invitation.pk}
