"""Inviting, accepting and revoking delegates."""

from __future__ import annotations

from typing import Any

import pytest

from quartier.accounts.models import User
from quartier.errors import Conflict, Forbidden, InvalidInput, NotFound
from quartier.households.access import acts_for, customer_ids_for
from quartier.households.models import Delegation
from quartier.households.services import (
    delegation_accept,
    delegation_decline,
    delegation_invite,
    delegation_revoke,
)
from tests.factories import make_customer
from tests.households.conftest import Household
from tests.mail import send_queued_emails

pytestmark = pytest.mark.django_db


def test_an_invitation_is_mailed_and_only_its_address_can_accept(
    mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    father = make_customer(email="walter@example.ch", full_name="Walter Keller")
    daughter = make_customer(email="Lena@Example.de", preferred_language="de")
    stranger = make_customer(email="stranger@example.ch")
    with pytest.raises(InvalidInput):
        delegation_invite(actor=father, email="walter@example.ch")
    with django_capture_on_commit_callbacks(execute=True):
        invited = delegation_invite(actor=father, email="lena@example.de")
    with pytest.raises(Conflict):
        delegation_invite(actor=father, email="LENA@example.de")
    send_queued_emails()
    (mail,) = mailoutbox
    assert mail.to == ["lena@example.de"]
    assert "Walter Keller bittet dich" in mail.subject  # in her language
    assert "/me/household" in mail.body
    with pytest.raises(NotFound):
        delegation_accept(actor=stranger, delegation_id=invited.pk)
    assert not acts_for(daughter, father.pk)  # invited is not yet a delegate
    accepted = delegation_accept(actor=daughter, delegation_id=invited.pk)
    assert accepted.state == "active"
    assert acts_for(daughter, father.pk)
    assert customer_ids_for(daughter) == [daughter.pk, father.pk]
    assert not acts_for(father, daughter.pk)  # it goes one way


def test_an_unconfirmed_address_cannot_accept() -> None:
    father = make_customer()
    daughter = make_customer(email="new@example.de", email_verified_at=None)
    invited = delegation_invite(actor=father, email=daughter.email)
    with pytest.raises(Forbidden):
        delegation_accept(actor=daughter, delegation_id=invited.pk)
    assert Delegation.objects.get().accepted_at is None


def test_declined_invitation_ends_and_can_be_sent_again() -> None:
    father, daughter = make_customer(), make_customer()
    invited = delegation_invite(actor=father, email=daughter.email)
    delegation_decline(actor=daughter, delegation_id=invited.pk)
    with pytest.raises(NotFound):
        delegation_accept(actor=daughter, delegation_id=invited.pk)
    again = delegation_invite(actor=father, email=daughter.email)
    assert again.pk != invited.pk


def test_revoking_ends_access_at_once_and_only_the_two_may_revoke(household: Household) -> None:
    with pytest.raises(NotFound):
        delegation_revoke(actor=household.stranger, delegation_id=household.delegation.pk)
    assert acts_for(household.daughter, household.father.pk)
    delegation_revoke(actor=household.father, delegation_id=household.delegation.pk)
    daughter = User.objects.get(pk=household.daughter.pk)  # her next request
    assert not acts_for(daughter, household.father.pk)
    assert customer_ids_for(daughter) == [daughter.pk]
    with pytest.raises(Conflict):  # revoked twice: the member is told it is done
        delegation_revoke(actor=household.father, delegation_id=household.delegation.pk)
    with pytest.raises(NotFound):  # the former delegate: like anyone else
        delegation_revoke(actor=household.daughter, delegation_id=household.delegation.pk)
