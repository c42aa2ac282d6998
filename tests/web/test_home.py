import pytest

from tests.factories import make_helper

pytestmark = pytest.mark.django_db


def test_home_explains_the_service_and_links_docs_and_back_office(client):
    make_helper(email="h@example.com", postcode="8003")
    page = client.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Help from your neighbourhood" in html
    assert 'href="/api/v1/docs"' in html
    assert 'href="/admin/"' in html
    assert "TV &amp; set-top box" in html
    assert "<strong>1</strong> helpers" in html
    assert "GeoNames" in html
    assert 'href="/signup"' in html  # the way in


def test_home_speaks_german(client):
    page = client.get("/", headers={"accept-language": "de"})
    html = page.content.decode()
    assert "Möbelmontage" in html
    assert "Hilfe aus deiner Nachbarschaft" in html


def test_back_office_lists_requests_for_operators(admin_client):
    for path in [
        "/admin/",
        "/admin/jobs/jobrequest/",
        "/admin/accounts/helperprofile/",
        "/admin/bookings/booking/",
        "/admin/reviews/review/",
        "/admin/geo/postcode/?q=8001",
    ]:
        assert admin_client.get(path).status_code == 200, path
