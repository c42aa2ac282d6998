"""Photos on a request: the customer attaches and removes them; only the parties see them."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from quartier.accounts.services import api_token_create
from quartier.dispatch.models import Invitation
from quartier.dispatch.services import dispatch_first_wave, invitation_decline
from quartier.jobs.models import JobRequest, RequestEvent, RequestPhoto
from quartier.jobs.services import request_cancel
from quartier.partners.integration.keys import api_key_create
from tests.api_checks import assert_problem
from tests.conftest import Api
from tests.factories import UserFactory, make_booking, make_customer, make_helper, make_request
from tests.images import GPS_IFD, JPEG, PNG, image_bytes
from tests.partners.factories import make_member, make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def jpeg(name: str = "router.jpg", content: bytes = JPEG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def upload(user: Any, request_id: int, *files: SimpleUploadedFile) -> Any:
    client = Client()
    headers = {"Authorization": f"Bearer {api_token_create(user=user)}"}
    response = client.post(
        f"/api/v1/requests/{request_id}/photos", {"photos": list(files)}, headers=headers
    )
    response.data = response.json()
    return response


def download(secret: str | None, request_id: int, photo_id: int) -> Any:
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return Client().get(f"/api/v1/requests/{request_id}/photos/{photo_id}", headers=headers)


@pytest.fixture
def posted() -> dict[str, Any]:
    """Anna's request in Zürich, Hans invited to it (first wave), one photo attached."""
    anna = make_customer(email="anna@example.com", full_name="Anna Muster")
    hans = make_helper(email="hans@example.com", postcode="8003")
    job = make_request(anna)
    dispatch_first_wave(request_id=job.pk)
    assert Invitation.objects.filter(dispatch__request=job, helper=hans).exists()
    response = upload(anna, job.pk, jpeg())
    assert response.status_code == 201, response.data
    return {"anna": anna, "hans": hans, "job": job, "photo_id": response.data[0]["id"]}


def test_the_customer_attaches_photos_and_reads_them_back(posted):
    anna, job = posted["anna"], posted["job"]
    more = upload(anna, job.pk, SimpleUploadedFile("wardrobe.png", PNG, content_type="image/png"))
    assert more.status_code == 201
    listed = Api(anna).get(f"/requests/{job.pk}/photos").data
    assert [(p["name"], p["content_type"]) for p in listed] == [
        ("router.jpg", "image/jpeg"),
        ("wardrobe.png", "image/png"),
    ]
    answer = download(api_token_create(user=anna), job.pk, posted["photo_id"])
    assert answer.status_code == 200
    assert Image.open(io.BytesIO(answer.content)).size == (8, 6)  # the picture sent
    assert answer["Content-Type"] == "image/jpeg"
    assert "no-store" in answer["Cache-Control"]
    notes = list(RequestEvent.objects.filter(request=job).values_list("note", flat=True))
    assert "1 photo(s) added" in notes


def test_stored_files_are_private_and_under_media_root(posted, tmp_path):
    photo = RequestPhoto.objects.get(pk=posted["photo_id"])
    path = Path(photo.image.path)
    assert path.is_relative_to(tmp_path)
    assert path.stat().st_mode & 0o077 == 0  # the service's user alone


@pytest.mark.parametrize(
    ("name", "content", "kind", "message"),
    [
        ("notes.txt", b"hello", "text/plain", "Only photos"),
        ("page.jpg", b"<html><script>", "image/jpeg", "not the image it claims"),
        ("cut.jpg", b"\xff\xd8\xff\xe0" + b"garbage" * 40, "image/jpeg", "not the image it claims"),
        ("big.jpg", b"\xff\xd8\xff" + b"0" * (8 * 1024 * 1024 + 1), "image/jpeg", "8 MB"),
    ],
)
def test_files_that_are_not_photos_are_refused_and_nothing_is_stored(
    posted, name, content, kind, message
):
    bad = SimpleUploadedFile(name, content, content_type=kind)
    response = upload(posted["anna"], posted["job"].pk, bad)
    body = assert_problem(response, 422)
    assert message in body["errors"]["photos.0"][0]
    assert RequestPhoto.objects.count() == 1


def test_a_photo_is_stored_upright_and_without_where_it_was_taken(posted):
    """A phone's EXIF names the place (often someone's home): helpers who see the photo
    must not learn it. The picture is turned as the camera said, then saved without EXIF."""
    anna, job = posted["anna"], posted["job"]
    sideways = jpeg("balcony.jpg", image_bytes("JPEG", gps=True))
    assert Image.open(sideways).getexif().get_ifd(GPS_IFD)  # the upload says where
    sideways.seek(0)
    response = upload(anna, job.pk, sideways)
    assert response.status_code == 201, response.data
    stored = download(api_token_create(user=anna), job.pk, response.data[0]["id"]).content
    picture = Image.open(io.BytesIO(stored))
    assert picture.size == (6, 8)  # upright: 8 by 6, taken sideways
    assert not picture.getexif()  # no place, no camera, no orientation left
    assert b"Exif" not in stored


def test_at_most_five_photos_per_request(posted):
    anna, job = posted["anna"], posted["job"]
    assert upload(anna, job.pk, *[jpeg(f"{i}.jpg") for i in range(4)]).status_code == 201
    body = assert_problem(upload(anna, job.pk, jpeg("sixth.jpg")), 422, code="too_many_photos")
    assert "remove one first" in body["errors"]["photos"][0]
    assert RequestPhoto.objects.filter(request=job).count() == 5


def test_no_photos_once_the_request_is_booked_or_withdrawn(posted):
    anna, hans = posted["anna"], posted["hans"]
    booking = make_booking(anna, hans, days=4)
    assert_problem(upload(anna, booking.request_id, jpeg()), 409, code="request_not_open")
    request_cancel(actor=anna, request_id=posted["job"].pk)
    assert_problem(upload(anna, posted["job"].pk, jpeg()), 409, code="request_not_open")


def test_the_customer_removes_a_photo_and_its_file(posted, django_capture_on_commit_callbacks):
    anna, job = posted["anna"], posted["job"]
    path = Path(RequestPhoto.objects.get(pk=posted["photo_id"]).image.path)
    assert "router" not in path.name  # stored under a random name
    api = Api(anna)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete(f"/requests/{job.pk}/photos/{posted['photo_id']}")
    assert response.status_code == 204
    assert api.get(f"/requests/{job.pk}/photos").data == []
    assert not path.exists()
    assert download(api_token_create(user=anna), job.pk, posted["photo_id"]).status_code == 404


def test_helpers_cannot_add_or_remove_photos(posted):
    hans, job = posted["hans"], posted["job"]
    assert_problem(upload(hans, job.pk, jpeg()), 403, code="not_your_request")
    assert Api(hans).delete(f"/requests/{job.pk}/photos/{posted['photo_id']}").status_code == 403
    assert RequestPhoto.objects.count() == 1


def _actors(posted: dict[str, Any]) -> dict[str, str | None]:
    """Every kind of caller, by name -> API secret (None: anonymous)."""
    job: JobRequest = posted["job"]
    late = make_helper(email="late@example.com", postcode="8003")  # could serve, not invited
    assert not Invitation.objects.filter(dispatch__request=job, helper=late).exists()
    booked = make_helper(email="booked@example.com", postcode="8003", skills=["internet-wlan"])
    partner = make_partner()
    member = make_member(partner)
    _, key = api_key_create(actor=member, partner=partner, name="CRM")
    users = {
        "customer": posted["anna"],
        "invited_helper": posted["hans"],
        "uninvited_helper": late,
        "far_helper": make_helper(email="far@example.com", postcode="3011", skills=["cleaning"]),
        "other_customer": make_customer(email="otto@example.com"),
        "partner_member": member,
        "operator": UserFactory(email="op@example.com", is_customer=False, is_staff=True),
        "other_booked_helper": booked,
    }
    secrets: dict[str, str | None] = {n: api_token_create(user=u) for n, u in users.items()}
    return secrets | {"partner_key": key, "anonymous": None}


EXPECTED = {
    "customer": 200,
    "invited_helper": 200,
    "operator": 200,
    "uninvited_helper": 404,
    "far_helper": 404,
    "other_customer": 404,
    "partner_member": 404,
    "other_booked_helper": 404,
    "partner_key": 401,
    "anonymous": 401,
}


def test_only_the_parties_see_a_requests_photos(posted):
    job, photo_id = posted["job"], posted["photo_id"]
    for actor, secret in _actors(posted).items():
        file = download(secret, job.pk, photo_id)
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        listed = Client().get(f"/api/v1/requests/{job.pk}/photos", headers=headers)
        expected = EXPECTED[actor]
        assert (file.status_code, listed.status_code) == (expected, expected), actor
        if expected != 200:
            assert file["Content-Type"] == "application/problem+json", actor
            missing = download(secret, job.pk, photo_id + 1000)
            assert missing.status_code == expected, actor  # the same as a missing photo


def test_the_booked_helper_sees_the_photos_and_a_helper_who_offered_keeps_seeing_them(posted):
    anna, hans, job = posted["anna"], posted["hans"], posted["job"]
    booked = make_helper(email="booked@example.com", postcode="8003", skills=["internet-wlan"])
    booking = make_booking(anna, booked, days=4, skill="internet-wlan")
    upload_to_booked = RequestPhoto.objects.create(
        request_id=booking.request_id, image=jpeg(), name="x.jpg", content_type="image/jpeg", size=1
    )
    secret = api_token_create(user=booked)
    assert download(secret, booking.request_id, upload_to_booked.pk).status_code == 200
    # Hans was invited to Anna's first request: he keeps seeing its photos after declining.
    invitation = Invitation.objects.get(dispatch__request=job, helper=hans)
    invitation_decline(actor=hans, invitation_id=invitation.pk)
    assert download(api_token_create(user=hans), job.pk, posted["photo_id"]).status_code == 200
