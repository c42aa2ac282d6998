"""Favourite helpers through the API: mark, list, unmark, and marked in the match list."""

from __future__ import annotations

import pytest

from quartier.favourites.models import Favourite
from tests.conftest import Api
from tests.factories import make_customer, make_helper, make_request

pytestmark = pytest.mark.django_db


def test_a_customer_marks_lists_and_unmarks_a_favourite(customer, helper):
    api = Api(customer)
    marked = api.put(f"/me/favourites/{helper.pk}", None)
    assert marked.status_code == 200, marked.data
    assert api.put(f"/me/favourites/{helper.pk}", None).status_code == 200  # idempotent
    listed = api.get("/me/favourites").data
    assert [(f["helper_id"], f["hourly_rate_minor"]) for f in listed] == [(helper.pk, 4500)]
    assert api.delete(f"/me/favourites/{helper.pk}").status_code == 204
    assert api.delete(f"/me/favourites/{helper.pk}").status_code == 204
    assert api.get("/me/favourites").data == []


def test_favourites_are_marked_in_the_match_list(customer, helper):
    other = make_helper(email="otto@example.com", postcode="8004")
    job = make_request(customer)
    Api(customer).put(f"/me/favourites/{helper.pk}", None)
    matches = {
        m["helper_id"]: m["is_favourite"]
        for m in Api(customer).get(f"/requests/{job.pk}/matches").data
    }
    assert matches == {helper.pk: True, other.pk: False}


def test_only_helpers_can_be_favourites_and_each_customer_keeps_their_own(customer, helper):
    nobody = make_customer(email="nobody@example.com")
    answer = Api(customer).put(f"/me/favourites/{nobody.pk}", None)
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/problem+json"
    Api(customer).put(f"/me/favourites/{helper.pk}", None)
    assert Api(nobody).get("/me/favourites").data == []
    assert Favourite.objects.count() == 1
