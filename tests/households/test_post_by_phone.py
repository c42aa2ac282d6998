"""An elderly customer without the app calls; an operator posts the request for them in the
back office. The request is the caller's and is dispatched to helpers nearby; the operator's
act and the note of the call are in the audit; bad input is a form error and posts nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from quartier.audit.models import OperatorAction
from quartier.dispatch.models import Dispatch
from quartier.jobs.models import JobRequest
from tests.factories import make_customer, make_helper

pytestmark = pytest.mark.django_db

URL = "/admin/dispatch/dispatch/post-by-phone/"


def _form(**changes: str) -> dict[str, str]:
    start = timezone.localtime() + timedelta(days=2)
    return {
        "customer_email": "rosa@example.ch",
        "skill": "tv-set-top-box",
        "title": "Fernseher zeigt kein Bild",
        "description": "Seit gestern.",
        "country": "CH",
        "postcode": "8004",
        "street_address": "Badenerstrasse 12",
        "window_start": start.strftime("%Y-%m-%dT%H:%M"),
        "window_end": (start + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
        "note": "Rosa Alt called at 10:05, TV box shows no picture.",
    } | changes


def test_an_operator_posts_a_request_for_the_caller(client: Client) -> None:
    caller = make_customer(email="rosa@example.ch", full_name="Rosa Alt")
    make_helper(email="hans@example.ch", postcode="8003")
    operator = make_customer(email="ops@example.com", is_staff=True, is_superuser=True)
    client.force_login(operator)
    assert "Post a request by phone" in client.get("/admin/dispatch/dispatch/").content.decode()

    posted = client.post(URL, _form())
    assert posted.status_code == 302, posted.content.decode()[:2000]
    job = JobRequest.objects.get()
    assert (job.customer_id, job.title) == (caller.pk, "Fernseher zeigt kein Bild")
    assert Dispatch.objects.get(request=job).state == "active"  # helpers nearby are invited
    audit = OperatorAction.objects.get(action="request.by_phone")
    assert (audit.actor_id, audit.target_id) == (operator.pk, str(job.pk))
    assert audit.reason.startswith("Rosa Alt called at 10:05")


def test_bad_input_is_a_form_error_and_posts_nothing(client: Client) -> None:
    make_customer(email="rosa@example.ch", full_name="Rosa Alt")
    operator = make_customer(email="ops@example.com", is_staff=True, is_superuser=True)
    client.force_login(operator)
    for form, error in (
        (_form(customer_email="nobody@example.ch"), "No active customer account"),
        (_form(postcode="0000"), "postcode"),
        (_form(note=""), "This field is required"),
    ):
        page = client.post(URL, form)
        assert page.status_code == 200
        assert error in page.content.decode()
    assert not JobRequest.objects.exists()
    assert not OperatorAction.objects.filter(action="request.by_phone").exists()


def test_customers_cannot_open_the_page(client: Client) -> None:
    client.force_login(make_customer(email="rosa@example.ch"))
    assert client.get(URL).status_code == 302  # to the admin log-in
    assert client.post(URL, _form()).status_code == 302
    assert not JobRequest.objects.exists()
