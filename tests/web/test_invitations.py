"""Invitations in the helper's inbox: take a fixed-price job in one click, or decline."""

from __future__ import annotations

import pytest

from quartier.dispatch.models import Dispatch, Invitation
from quartier.dispatch.services import dispatch_first_wave, dispatch_for_request
from quartier.dispatch.terms import DispatchTerms
from tests.factories import make_helper, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixed_price_job(customer):
    job = make_request(customer, title="Install the new TV box")
    Dispatch.objects.filter(request=job).delete()  # replaced by a fixed-price dispatch
    fixed = DispatchTerms(mode="fixed_price", fixed_price_minor=8900)
    dispatch_for_request(request_id=job.pk, terms=fixed)
    return job


def test_an_invited_helper_takes_a_fixed_price_job_from_the_inbox(
    browser_as, helper, fixed_price_job
):
    other = make_helper(email="other@example.com", postcode="8003")
    dispatch_first_wave(request_id=fixed_price_job.pk)
    mine = Invitation.objects.get(helper=helper)
    inbox = browser_as(helper).get("/helper/inbox").content.decode()
    assert "Install the new TV box" in inbox
    assert "Take the job for CHF\u00a089.00" in inbox  # a no-break space, as money is shown
    taken = browser_as(helper).post(f"/helper/invitations/{mine.pk}/accept", follow=True)
    assert "The job is yours." in taken.content.decode()
    fixed_price_job.refresh_from_db()
    assert fixed_price_job.state == "booked"
    assert fixed_price_job.booked_helper == helper
    # Too late for the other helper: a friendly word, nothing changes.
    late = Invitation.objects.get(helper=other)
    answer = browser_as(other).post(f"/helper/invitations/{late.pk}/accept", follow=True)
    assert "Someone else took this job" in answer.content.decode() or (
        "no longer offered" in answer.content.decode()
    )
    fixed_price_job.refresh_from_db()
    assert fixed_price_job.booked_helper == helper


def test_declining_says_it_costs_nothing_and_removes_the_invitation(
    browser_as, helper, fixed_price_job
):
    dispatch_first_wave(request_id=fixed_price_job.pk)
    invitation = Invitation.objects.get(helper=helper)
    page = browser_as(helper).post(f"/helper/invitations/{invitation.pk}/decline", follow=True)
    html = page.content.decode()
    assert "This does not affect your ranking." in html
    assert "Take the job for" not in html
    invitation.refresh_from_db()
    assert invitation.status == "declined"


def test_someone_elses_invitation_is_not_found(browser_as, helper, fixed_price_job):
    dispatch_first_wave(request_id=fixed_price_job.pk)
    invitation = Invitation.objects.get(helper=helper)
    stranger = make_helper(email="far@example.com", postcode="3011")
    assert (
        browser_as(stranger).post(f"/helper/invitations/{invitation.pk}/accept").status_code == 404
    )
    invitation.refresh_from_db()
    assert invitation.status == "open"
