"""The dispatch API: helpers' invitations (list, decline, accept) and the customer's view."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quartier.bookings.models import Booking
from quartier.dispatch.models import Dispatch, Invitation
from quartier.dispatch.services import dispatch_tick
from tests.dispatch.conftest import make_crowd, open_counts, start_dispatch
from tests.factories import make_customer, make_request


@pytest.fixture
def quotes(anna):
    helpers = make_crowd(7)
    request = make_request(anna, title="Set-top box has no signal")
    dispatch = start_dispatch(request)
    dispatch_tick()
    return request, dispatch, {h.pk: h for h in helpers}


@pytest.fixture
def fixed(anna):
    helpers = make_crowd(3)
    request = make_request(anna, title="Install the new TV box")
    dispatch = start_dispatch(request, mode="fixed_price", fixed_price_minor=8900)
    dispatch_tick()
    return request, dispatch, {h.pk: h for h in helpers}


def invitation_of(dispatch: Dispatch, rank: int) -> Invitation:
    return Invitation.objects.get(dispatch=dispatch, rank=rank)


def test_helpers_see_their_open_invitations_with_an_explanation(api_as, quotes):
    request, dispatch, helpers = quotes
    first = invitation_of(dispatch, 1)

    response = api_as(helpers[first.helper_id]).get("/invitations")

    assert response.status_code == 200
    [item] = response.data
    assert item["id"] == first.pk
    assert item["request_id"] == request.pk
    assert item["title"] == "Set-top box has no signal"
    assert item["mode"] == "quotes"
    assert item["wave"] == 1
    assert item["rank"] == 1
    assert "km away" in item["explanation"]
    assert "street_address" not in item  # only the booked helper sees the address
    assert item["locality"] == "Zürich"
    # A helper who was not invited has none.
    not_invited = next(h for h in helpers.values() if not h.dispatch_invitations.exists())
    assert api_as(not_invited).get("/invitations").data == []


def test_decline_through_the_api(api_as, quotes):
    _, dispatch, helpers = quotes
    invitation = invitation_of(dispatch, 2)
    helper = helpers[invitation.helper_id]
    client = api_as(helper)

    response = client.post(f"/invitations/{invitation.pk}/decline")

    assert response.status_code == 200, response.data
    assert response.data["status"] == "declined"
    assert client.get("/invitations").data == []
    assert open_counts([helper.pk]) == {helper.pk: 0}
    again = client.post(f"/invitations/{invitation.pk}/decline")
    assert again.status_code == 409
    assert again.data["code"] == "invitation_not_open"
    assert again.headers["Content-Type"] == "application/problem+json"


def test_someone_elses_invitation_is_not_found(api_as, quotes, anna):
    _, dispatch, helpers = quotes
    invitation = invitation_of(dispatch, 1)
    other = next(h for pk, h in helpers.items() if pk != invitation.helper_id)
    for actor in (other, anna):
        for action in ("decline", "accept"):
            response = api_as(actor).post(f"/invitations/{invitation.pk}/{action}")
            assert response.status_code == 404, (actor, action)
    assert Invitation.objects.get(pk=invitation.pk).status == "open"


def test_accepting_a_quotes_invitation_asks_for_a_quote(api_as, quotes):
    request, dispatch, helpers = quotes
    invitation = invitation_of(dispatch, 1)

    response = api_as(helpers[invitation.helper_id]).post(f"/invitations/{invitation.pk}/accept")

    assert response.status_code == 409
    assert response.data["code"] == "quote_required"
    assert f"/requests/{request.pk}/offers" in response.data["detail"]
    assert Invitation.objects.get(pk=invitation.pk).status == "open"
    assert not Booking.objects.exists()


def test_accepting_a_fixed_price_job_books_it(api_as, fixed, anna):
    request, dispatch, helpers = fixed
    winner = invitation_of(dispatch, 1)
    loser = invitation_of(dispatch, 2)

    response = api_as(helpers[winner.helper_id]).post(f"/invitations/{winner.pk}/accept")

    assert response.status_code == 201, response.data
    booking = response.data
    assert booking["helper_id"] == winner.helper_id
    assert booking["customer_id"] == anna.pk
    assert booking["price_minor"] == 8900
    assert booking["state"] == "booked"
    assert Booking.objects.get().starts_at == request.window_start  # the window's start
    dispatch.refresh_from_db()
    assert dispatch.state == "satisfied"
    assert Invitation.objects.get(pk=winner.pk).status == "accepted"
    assert Invitation.objects.get(pk=loser.pk).status == "closed"
    assert set(open_counts().values()) == {0}

    late = api_as(helpers[loser.helper_id]).post(f"/invitations/{loser.pk}/accept")
    assert late.status_code == 409
    assert late.data["code"] == "already_taken"
    assert Booking.objects.count() == 1


def test_accept_needs_no_body(api_as, fixed):
    _, dispatch, helpers = fixed
    invitation = invitation_of(dispatch, 1)
    client = api_as(helpers[invitation.helper_id])

    response = client.client.post(
        f"/api/v1/invitations/{invitation.pk}/accept",
        data="",
        content_type="application/json",
        headers=client.headers,
    )

    assert response.status_code == 201, response.content
    assert Booking.objects.get().helper_id == invitation.helper_id


def test_accept_at_a_chosen_time_inside_the_window(api_as, fixed):
    request, dispatch, helpers = fixed
    invitation = invitation_of(dispatch, 1)
    start = request.window_start + timedelta(hours=3)

    response = api_as(helpers[invitation.helper_id]).post(
        f"/invitations/{invitation.pk}/accept", {"proposed_start": start.isoformat()}
    )

    assert response.status_code == 201, response.data
    booking = Booking.objects.get()
    assert booking.starts_at == start
    assert (booking.ends_at - booking.starts_at).total_seconds() == 120 * 60

    outside = invitation_of(dispatch, 2)
    response = api_as(helpers[outside.helper_id]).post(
        f"/invitations/{outside.pk}/accept", {"proposed_start": "2001-01-01T10:00:00Z"}
    )
    assert response.status_code == 409  # taken already, whatever the time


def test_accept_outside_the_window_is_refused_and_changes_nothing(api_as, fixed):
    request, dispatch, helpers = fixed
    invitation = invitation_of(dispatch, 1)
    too_late = request.window_end.isoformat()

    response = api_as(helpers[invitation.helper_id]).post(
        f"/invitations/{invitation.pk}/accept", {"proposed_start": too_late}
    )

    assert response.status_code == 422
    assert Invitation.objects.get(pk=invitation.pk).status == "open"
    assert Dispatch.objects.get(pk=dispatch.pk).state == "active"
    assert open_counts([invitation.helper_id]) == {invitation.helper_id: 1}
    assert not Booking.objects.exists()


def test_the_customer_sees_how_the_request_is_dispatched(api_as, quotes, anna):
    request, dispatch, helpers = quotes
    declined = invitation_of(dispatch, 3)
    api_as(helpers[declined.helper_id]).post(f"/invitations/{declined.pk}/decline")

    response = api_as(anna).get(f"/requests/{request.pk}/dispatch")

    assert response.status_code == 200, response.data
    body = response.data
    assert body["state"] == "active"
    assert body["mode"] == "quotes"
    assert body["wave"] == 1
    assert body["invited"] == 5
    assert body["open"] == 4
    assert body["offers"] == 0
    assert body["max_quotes"] == 5
    assert body["next_wave_at"] is not None
    assert body["waves"] == [
        {
            "wave": 1,
            "invited": 5,
            "sent_at": body["waves"][0]["sent_at"],
            "by_status": {"declined": 1, "open": 4},
        }
    ]
    assert "helper_id" not in str(body)  # counts only


def test_only_the_customer_sees_the_dispatch(api_as, quotes, anna):
    request, dispatch, helpers = quotes
    invited_helper = helpers[invitation_of(dispatch, 1).helper_id]
    stranger = make_customer(email="stranger@example.com")

    assert api_as(invited_helper).get(f"/requests/{request.pk}/dispatch").status_code == 403
    assert api_as(stranger).get(f"/requests/{request.pk}/dispatch").status_code == 404
    assert api_as(None).get(f"/requests/{request.pk}/dispatch").status_code == 401
    assert api_as(None).get("/invitations").status_code == 401
    no_dispatch = make_request(anna)
    Dispatch.objects.filter(request=no_dispatch).delete()  # in case request_create made one
    response = api_as(anna).get(f"/requests/{no_dispatch.pk}/dispatch")
    assert response.status_code == 404
    assert response.data["code"] == "no_dispatch"
