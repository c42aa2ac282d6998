"""A helper's checks are in their data export and go, files and all, with their account;
the operator audit keeps the decisions but no longer names them."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from quartier.accounts.services import helper_suspend
from quartier.audit.models import OperatorAction
from quartier.privacy.registry import CONTEXTS
from quartier.vetting.models import CheckKind, VettingCheck
from tests.vetting.helpers import hand_in, vet

pytestmark = pytest.mark.django_db


def test_checks_are_exported_and_erased_with_their_files(
    operator, helper, django_capture_on_commit_callbacks
):
    vet(helper, operator, CheckKind.IDENTITY)
    waiting = hand_in(helper, CheckKind.INSURANCE)
    name = waiting.documents.get().file.name
    helper_suspend(actor=operator, helper_id=helper.pk, reason="Complaints.")

    exported = CONTEXTS["vetting"].export(helper.pk)["vetting_checks"]
    assert [(c["kind"], c["status"]) for c in exported] == [
        ("identity", "approved"),
        ("insurance", "pending"),
    ]
    assert CONTEXTS["audit"].export(helper.pk)["operator_actions"][0]["reason"] == "Complaints."

    with django_capture_on_commit_callbacks(execute=True):
        CONTEXTS["vetting"].erase(helper.pk)
        CONTEXTS["audit"].erase(helper.pk)
    assert not VettingCheck.objects.filter(helper=helper).exists()
    assert not default_storage.exists(name)
    suspension = OperatorAction.objects.get(action="helper.suspend")
    assert suspension.reason == "Complaints."  # the decision stays
    assert helper.email not in suspension.target_label
