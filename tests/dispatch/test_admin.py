"""The back office shows dispatches and invitations, filterable, and stops a dispatch."""

from __future__ import annotations

import pytest
from django.test import Client

from quartier.dispatch.models import Dispatch, Invitation
from quartier.dispatch.services import dispatch_tick
from tests.dispatch.conftest import make_crowd, open_counts, start_dispatch
from tests.factories import make_customer, make_request


@pytest.fixture
def operator_client(db: None) -> Client:
    operator = make_customer(email="operator@example.com", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(operator)
    return client


def test_operators_see_and_filter_dispatches_and_invitations(operator_client, anna):
    make_crowd(3)
    request = make_request(anna, title="Router blinks red")
    dispatch = start_dispatch(request)
    dispatch_tick()
    invitation = Invitation.objects.filter(dispatch=dispatch).first()

    pages = {
        "/admin/dispatch/dispatch/": "Router blinks red",
        "/admin/dispatch/dispatch/?state__exact=active&mode__exact=quotes": "Router blinks red",
        f"/admin/dispatch/dispatch/{dispatch.pk}/change/": invitation.helper.email,
        "/admin/dispatch/invitation/?status__exact=open": "open",
        f"/admin/dispatch/invitation/{invitation.pk}/change/": "km away",
        "/admin/dispatch/dispatchevent/": "wave",
    }
    for url, text in pages.items():
        response = operator_client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
    empty = operator_client.get("/admin/dispatch/dispatch/?state__exact=exhausted")
    assert "Router blinks red" not in empty.content.decode()


def test_operators_cancel_a_dispatch_from_the_list(operator_client, anna):
    make_crowd(3)
    dispatch = start_dispatch(make_request(anna))
    dispatch_tick()

    response = operator_client.post(
        "/admin/dispatch/dispatch/",
        {"action": "cancel_selected", "_selected_action": [dispatch.pk]},
        follow=True,
    )

    assert response.status_code == 200
    dispatch.refresh_from_db()
    assert dispatch.state == "cancelled"
    assert set(Invitation.objects.values_list("status", flat=True)) == {"closed"}
    assert set(open_counts().values()) == {0}
    assert dispatch.events.filter(kind="cancelled", actor__email="operator@example.com").exists()
    assert Dispatch.objects.filter(state="active").count() == 0
