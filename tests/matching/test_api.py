"""The matching API: a request's matches are for its customer only."""

from __future__ import annotations

import pytest

from tests.factories import make_request

pytestmark = pytest.mark.django_db


def test_matches_are_for_the_requests_customer_only(api_as, customer, helper):
    request = make_request(customer)
    assert api_as(helper).get(f"/requests/{request.pk}/matches").status_code == 403
    assert api_as(customer).get(f"/requests/{request.pk}/matches").status_code == 200
