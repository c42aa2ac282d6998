"""Before a booking a helper sees the request's locality, not its postcode (README: "the
locality and an approximate distance"); the booked helper sees the whole address."""

from __future__ import annotations

import pytest

from tests.factories import make_booking, make_request

pytestmark = pytest.mark.django_db


def test_an_unbooked_helper_sees_the_locality_but_not_the_postcode(api_as, customer, helper):
    request = make_request(customer, postcode="8004")
    seen = api_as(helper).get(f"/requests/{request.pk}").data
    assert seen["postcode"] is None
    assert seen["locality"]
    assert api_as(customer).get(f"/requests/{request.pk}").data["postcode"] == "8004"


def test_the_helpers_request_page_leaves_the_postcode_out(client, customer, helper):
    request = make_request(customer, postcode="8004")
    client.force_login(helper)
    page = client.get(f"/helper/requests/{request.pk}").content.decode()
    assert request.locality in page
    assert "8004" not in page


def test_invitations_leave_the_postcode_out(
    api_as, customer, helper, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        make_request(customer, postcode="8004")
    invitations = api_as(helper).get("/invitations").data
    assert invitations
    assert all(invitation["postcode"] is None for invitation in invitations)


def test_the_booked_helper_sees_the_postcode(api_as, customer, helper):
    booking = make_booking(customer, helper)
    seen = api_as(helper).get(f"/requests/{booking.request_id}").data
    assert seen["postcode"] == booking.request.postcode
