"""The pages of photos on a request, changing a request, and changing an offer (in German)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from quartier.bookings.models import Offer
from quartier.dispatch.services import dispatch_first_wave
from quartier.jobs.models import JobRequest, RequestPhoto
from tests.factories import make_helper, make_offer, make_request
from tests.images import JPEG, picture_size
from tests.web.test_customer import local, posting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def jpeg(name: str = "router.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG, content_type="image/jpeg")


def test_a_photo_posted_with_the_request_is_shown_to_the_invited_helper_only(
    browser_as, customer, helper, stranger
):
    client = browser_as(customer, "de")
    response = client.post("/requests/new", posting() | {"photos": [jpeg()]})
    job = JobRequest.objects.get()
    assert response["Location"] == f"/requests/{job.pk}"
    photo = RequestPhoto.objects.get(request=job)
    page = client.get(response["Location"]).content.decode()
    assert f'src="/requests/{job.pk}/photos/{photo.pk}"' in page
    assert "Diese Anfrage ändern" in page
    dispatch_first_wave(request_id=job.pk)  # Hans (8003) is invited
    helper_page = browser_as(helper, "de").get(f"/helper/requests/{job.pk}").content.decode()
    assert f'src="/requests/{job.pk}/photos/{photo.pk}"' in helper_page
    served = browser_as(helper).get(f"/requests/{job.pk}/photos/{photo.pk}").content
    assert picture_size(served) == picture_size(JPEG)
    late = make_helper(email="late@example.com", postcode="8003")  # could serve, not invited
    assert "photos/" not in browser_as(late).get(f"/helper/requests/{job.pk}").content.decode()
    for outsider in (late, stranger):
        assert browser_as(outsider).get(f"/requests/{job.pk}/photos/{photo.pk}").status_code == 404
    assert browser_as().get(f"/requests/{job.pk}/photos/{photo.pk}").status_code == 302


def test_a_file_that_is_no_photo_is_a_form_error_and_posts_nothing(browser_as, customer):
    fake = SimpleUploadedFile("virus.jpg", b"MZ\x90\x00", content_type="image/jpeg")
    response = browser_as(customer, "de").post("/requests/new", posting() | {"photos": [fake]})
    assert response.status_code == 200
    assert "Nur Fotos (JPEG, PNG, WebP oder HEIC)" in response.content.decode()
    assert not JobRequest.objects.exists()


def test_the_customer_adds_and_removes_photos_on_the_request_page(browser_as, customer):
    job = make_request(customer)
    client = browser_as(customer, "de")
    added = client.post(f"/requests/{job.pk}/photos", {"photos": [jpeg(), jpeg("b.jpg")]})
    assert added["Location"] == f"/requests/{job.pk}"
    assert RequestPhoto.objects.filter(request=job).count() == 2
    first = RequestPhoto.objects.filter(request=job).first()
    assert first is not None
    client.post(f"/requests/{job.pk}/photos/{first.pk}/remove")
    page = client.get(f"/requests/{job.pk}").content.decode()
    assert "Das Foto ist entfernt." in page
    assert RequestPhoto.objects.filter(request=job).count() == 1


def test_the_customer_changes_the_window_and_the_offer_outside_it_is_flagged(
    browser_as, customer, helper
):
    job = make_request(customer)
    make_offer(helper, job)
    client = browser_as(customer, "de")
    form = client.get(f"/requests/{job.pk}/edit").content.decode()
    assert "Deine Anfrage ändern" in form
    changed = client.post(
        f"/requests/{job.pk}/edit",
        {
            "title": "TV-Box und Soundbar",
            "description": "",
            "street_address": "Badenerstrasse 12",
            "window_start": local(3, 9),
            "window_end": local(3, 17),
            "budget": "",
        },
    )
    assert changed["Location"] == f"/requests/{job.pk}"
    page = client.get(f"/requests/{job.pk}").content.decode()
    assert "TV-Box und Soundbar" in page
    assert "Diese Zeit liegt nicht mehr in deinem neuen Zeitfenster" in page
    helper_page = browser_as(helper, "de").get(f"/helper/requests/{job.pk}").content.decode()
    assert "Dein Angebot ändern" in helper_page
    assert "Deine vorgeschlagene Zeit passt nicht mehr" in helper_page


def test_the_helper_changes_the_offer_then_withdraws_and_makes_a_new_one(
    browser_as, customer, helper
):
    job = make_request(customer)
    first = make_offer(helper, job, price=9000)
    client = browser_as(helper, "de")
    start = timezone.localtime(job.window_start + timedelta(hours=2))
    offer_form = {
        "pricing": "fixed",
        "price": "80.00",
        "vat_rate": "0",
        "proposed_start": start.strftime("%Y-%m-%dT%H:%M"),
        "proposed_end": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "message": "",
    }
    assert client.post(f"/helper/requests/{job.pk}", offer_form).status_code == 302
    changed = Offer.objects.get(request=job, status="pending")
    assert (changed.price_minor, changed.replaces_id) == (8000, first.pk)
    client.post(f"/helper/offers/{changed.pk}/withdraw")
    page = client.get(f"/helper/requests/{job.pk}").content.decode()
    assert "Ein neues Angebot machen" in page
    assert client.post(f"/helper/requests/{job.pk}", offer_form).status_code == 302
    assert Offer.objects.filter(request=job, status="pending").count() == 1
    assert Offer.objects.filter(request=job).count() == 3
