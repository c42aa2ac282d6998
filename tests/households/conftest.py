from __future__ import annotations

from dataclasses import dataclass

import pytest

from quartier.accounts.models import User
from quartier.households.models import Delegation
from quartier.households.services import delegation_accept, delegation_invite
from tests.factories import make_customer, make_helper


@dataclass
class Household:
    father: User
    daughter: User
    stranger: User
    helper: User
    delegation: Delegation


def household_of(father: User, daughter: User) -> Delegation:
    invited = delegation_invite(actor=father, email=daughter.email)
    return delegation_accept(actor=daughter, delegation_id=invited.pk)


@pytest.fixture
def household(db: None) -> Household:
    father = make_customer(email="walter@example.ch", full_name="Walter Keller")
    daughter = make_customer(email="lena@example.de", full_name="Lena Keller")
    return Household(
        father=father,
        daughter=daughter,
        stranger=make_customer(email="stranger@example.ch", full_name="Sam Fremd"),
        helper=make_helper(email="hans@example.ch", full_name="Hans Meier", postcode="6003"),
        delegation=household_of(father, daughter),
    )
