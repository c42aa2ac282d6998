"""Operators suspend a helper with a reason and reinstate them; nobody else can."""

from __future__ import annotations

import pytest
from django.test import Client

from quartier.accounts.models import HelperProfile
from quartier.accounts.services import helper_reinstate, helper_suspend
from quartier.audit.models import OperatorAction
from quartier.errors import Forbidden, InvalidInput
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return make_customer(email="ops@example.com", is_staff=True)


def test_a_suspension_keeps_its_reason_until_the_helper_is_reinstated(operator, helper):
    helper_suspend(actor=operator, helper_id=helper.pk, reason="  complaints ")
    profile = HelperProfile.objects.get(user=helper)
    assert profile.suspended_at is not None
    assert profile.suspension_reason == "complaints"

    helper_reinstate(actor=operator, helper_id=helper.pk)
    profile.refresh_from_db()
    assert profile.suspended_at is None
    assert profile.suspension_reason == ""


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_suspension_without_a_reason_is_refused_and_changes_nothing(operator, helper, reason):
    with pytest.raises(InvalidInput) as raised:
        helper_suspend(actor=operator, helper_id=helper.pk, reason=reason)
    assert "reason" in raised.value.errors
    assert HelperProfile.objects.get(user=helper).suspended_at is None


def test_only_operators_suspend_or_reinstate(operator, helper, customer):
    with pytest.raises(Forbidden):
        helper_suspend(actor=customer, helper_id=helper.pk, reason="spite")
    assert HelperProfile.objects.get(user=helper).suspended_at is None

    helper_suspend(actor=operator, helper_id=helper.pk, reason="complaints")
    with pytest.raises(Forbidden):
        helper_reinstate(actor=customer, helper_id=helper.pk)
    assert HelperProfile.objects.get(user=helper).suspended_at is not None


def test_the_back_office_suspends_and_reinstates_selected_helpers(helper):
    operator = make_customer(email="root@example.com", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(operator)
    profile = HelperProfile.objects.get(user=helper)
    url = "/admin/accounts/helperprofile/"

    asked = client.post(url, {"action": "suspend", "_selected_action": [profile.pk]})
    assert "reads this reason" in asked.content.decode()  # a person must say why first
    profile.refresh_from_db()
    assert profile.suspended_at is None
    reason = {"reason": "Three no-shows in October", "apply": "1"}
    client.post(url, {"action": "suspend", "_selected_action": [profile.pk], **reason})
    profile.refresh_from_db()
    assert profile.suspended_at is not None
    assert profile.suspension_reason == "Three no-shows in October"

    lifting = {"action": "lift_suspension", "_selected_action": [profile.pk]}
    asked = client.post(url, lifting)
    assert "suspended for: Three no-shows in October" in asked.content.decode()
    profile.refresh_from_db()
    assert profile.suspended_at is not None  # not without a reason
    client.post(url, lifting | {"reason": "Appeal by phone: two were illness", "apply": "1"})
    profile.refresh_from_db()
    assert profile.suspended_at is None
    assert profile.suspension_reason == ""
    lifted = OperatorAction.objects.get(action="helper.reinstate")
    assert lifted.reason == "Appeal by phone: two were illness"
    assert lifted.actor == operator
