"""Expiry ends a vetting (the helper leaves matching for skills that need it, and is told);
helpers are reminded once before; documents are deleted after the retention period while the
decision record stays."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from quartier.matching.models import MatchIndex
from quartier.matching.selectors import match_helpers
from quartier.ticks import registered_ticks
from quartier.vetting.models import CheckKind, CheckStatus, VettingCheck, VettingDocument
from quartier.vetting.sweeps import vetting_tick
from tests.factories import make_helper, make_request
from tests.mail import send_queued_emails
from tests.vetting.helpers import hand_in, in_days, require, vet

pytestmark = pytest.mark.django_db


@pytest.fixture
def sitter(operator):
    helper = make_helper(email="vera@example.com", skills=["babysitting"])
    require(operator, "babysitting", CheckKind.IDENTITY)
    return helper


def _sent(mailoutbox) -> list[str]:
    send_queued_emails()
    return [m.subject for m in mailoutbox]


def test_the_worker_runs_the_vetting_sweep():
    assert "vetting" in {tick.name for tick in registered_ticks()}


def test_an_expired_check_takes_the_helper_out_of_matching_and_tells_them(
    customer, operator, sitter, mailoutbox, django_capture_on_commit_callbacks
):
    (check,) = vet(sitter, operator, CheckKind.IDENTITY, expires_on=in_days(5))
    request = make_request(customer, skill="babysitting")
    assert [m.helper_id for m in match_helpers(request)] == [sitter.pk]
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        report = vetting_tick(now=timezone.now() + timedelta(days=6))
    assert report.expired == 1
    check.refresh_from_db()
    assert check.status == CheckStatus.EXPIRED
    assert not MatchIndex.objects.filter(helper=sitter, skill__slug="babysitting").exists()
    assert "Dein Dokument ist abgelaufen" in _sent(mailoutbox)  # in her language

    with django_capture_on_commit_callbacks(execute=True):
        again = vetting_tick(now=timezone.now() + timedelta(days=6))
    assert again.expired == 0


def test_a_check_past_its_expiry_no_longer_counts_even_before_the_sweep(customer, operator, sitter):
    (check,) = vet(sitter, operator, CheckKind.IDENTITY, expires_on=in_days(5))
    VettingCheck.objects.filter(pk=check.pk).update(expires_on=in_days(-1))
    request = make_request(customer, skill="babysitting")
    from quartier.jobs.coverage import helper_can_serve

    assert not helper_can_serve(helper=sitter, request=request)


def test_helpers_are_reminded_once_before_their_document_expires(
    operator, sitter, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.QUARTIER_VETTING_REMIND_DAYS = 30
    vet(sitter, operator, CheckKind.IDENTITY, expires_on=in_days(10))
    vet(make_helper(email="far@example.com"), operator, CheckKind.IDENTITY)  # in 700 days
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert vetting_tick().reminded == 1
    subjects = _sent(mailoutbox)
    assert subjects == ["Dein Dokument läuft bald ab"]
    assert mailoutbox[0].to == ["vera@example.com"]
    with django_capture_on_commit_callbacks(execute=True):
        assert vetting_tick().reminded == 0


def test_documents_are_deleted_after_the_retention_period_and_the_decision_stays(
    operator, sitter, settings, django_capture_on_commit_callbacks
):
    settings.QUARTIER_VETTING_RETENTION_DAYS = 30
    (decided,) = vet(sitter, operator, CheckKind.IDENTITY)
    waiting = hand_in(sitter, CheckKind.INSURANCE)
    VettingCheck.objects.filter(pk__in=[decided.pk, waiting.pk]).update(
        decided_at=timezone.now() - timedelta(days=31)
    )
    VettingCheck.objects.filter(pk=waiting.pk).update(decided_at=None)
    name = VettingDocument.objects.get(vetting_check=decided).file.name
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        assert vetting_tick().purged == 1
    assert not default_storage.exists(name)
    assert not VettingDocument.objects.filter(vetting_check=decided).exists()
    decided.refresh_from_db()
    assert decided.status == CheckStatus.APPROVED  # the decision record is kept
    assert decided.documents_deleted_at is not None
    assert VettingDocument.objects.filter(vetting_check=waiting).count() == 1


def test_documents_stay_within_the_retention_period(operator, sitter, settings):
    settings.QUARTIER_VETTING_RETENTION_DAYS = 30
    (decided,) = vet(sitter, operator, CheckKind.IDENTITY)
    assert vetting_tick().purged == 0
    assert VettingDocument.objects.filter(vetting_check=decided).count() == 1
