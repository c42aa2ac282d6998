"""The geocoder the services use, the postcode autocomplete, and distances shown to people."""

from __future__ import annotations

import h3
import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from quartier.errors import InvalidInput
from quartier.geo.distance import approximate_km, haversine_km
from quartier.geo.geocoding import locate_postcode

ZURICH_HB = (47.3779, 8.5403)
BERN_HB = (46.9490, 7.4391)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("country", "postcode", "locality", "region", "lat", "lon"),
    [
        ("CH", "8001", "Zürich", "ZH", 47.37, 8.54),
        ("CH", "3011", "Bern", "BE", 46.95, 7.45),
        ("CH", "1003", "Lausanne", "VD", 46.52, 6.63),
        ("DE", "10115", "Berlin", "BE", 52.53, 13.38),
        ("DE", "80331", "München", "BY", 48.14, 11.57),
        ("DE", "01067", "Dresden", "SN", 51.05, 13.74),
    ],
)
def test_known_postcodes_give_locality_coordinates_and_cell(
    country, postcode, locality, region, lat, lon
):
    location = locate_postcode(country, postcode)
    assert (location.country, location.postcode) == (country, postcode)
    assert location.locality == locality
    assert location.region == region
    assert location.latitude == pytest.approx(lat, abs=0.03)
    assert location.longitude == pytest.approx(lon, abs=0.03)
    # The h3 cell is a valid cell at the configured resolution, containing the point.
    cell = h3.int_to_str(location.h3_cell)
    assert h3.is_valid_cell(cell)
    assert h3.get_resolution(cell) == settings.QUARTIER_H3_RESOLUTION
    assert h3.latlng_to_cell(location.latitude, location.longitude, h3.get_resolution(cell)) == cell


@pytest.mark.django_db
def test_input_is_tidied_before_lookup():
    location = locate_postcode(" ch ", " 8003 ")
    assert (location.country, location.postcode, location.locality) == ("CH", "8003", "Zürich")


@pytest.mark.django_db
@pytest.mark.parametrize(("country", "postcode"), [("CH", "9999"), ("DE", "00000")])
def test_unknown_postcode_is_invalid_input_on_the_postcode_field(country, postcode):
    with pytest.raises(InvalidInput) as caught:
        locate_postcode(country, postcode)
    error = caught.value
    assert error.status == 422
    assert error.code == "unknown_postcode"
    assert list(error.errors) == ["postcode"]
    assert f"{country}-{postcode}" in error.detail


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("country", "postcode", "digits"),
    [
        ("CH", "80001", 4),
        ("CH", "800", 4),
        ("CH", "80a1", 4),
        ("CH", "", 4),
        ("DE", "8001", 5),
        ("DE", "101150", 5),
        ("DE", "1O115", 5),  # a letter O, not a zero
    ],
)
def test_wrong_format_says_how_many_digits(country, postcode, digits):
    with pytest.raises(InvalidInput) as caught:
        locate_postcode(country, postcode)
    assert caught.value.code == "bad_postcode"
    assert list(caught.value.errors) == ["postcode"]
    assert f"{digits} digits" in caught.value.detail


@pytest.mark.django_db
@pytest.mark.parametrize("country", ["FR", "AT", "", "Schweiz"])
def test_unknown_country_is_refused(country):
    with pytest.raises(InvalidInput) as caught:
        locate_postcode(country, "8001")
    assert caught.value.code == "unknown_country"
    assert list(caught.value.errors) == ["country"]


# --- autocomplete -------------------------------------------------------------------------


@pytest.mark.django_db
def test_autocomplete_by_postcode_prefix_returns_zurich(anon):
    response = anon.get("/postcodes?q=80&country=CH")
    assert response.status_code == 200
    rows = response.data
    assert 1 <= len(rows) <= 10
    assert all(r["country"] == "CH" and r["postcode"].startswith("80") for r in rows)
    assert [r["postcode"] for r in rows[:4]] == ["8001", "8002", "8003", "8004"]
    assert all(r["locality"] == "Zürich" and r["region"] == "ZH" for r in rows[:4])


@pytest.mark.django_db
def test_autocomplete_country_filter_keeps_to_the_country(anon):
    german = anon.get("/postcodes?q=80&country=DE").data
    assert german
    assert all(r["country"] == "DE" and r["postcode"].startswith("80") for r in german)
    assert "München" in {r["locality"] for r in german}


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Münch", "münch", "Münche"])
def test_autocomplete_by_locality_start_finds_munich_in_germany(anon, query):
    rows = anon.get(f"/postcodes?q={query}&country=DE").data
    assert rows
    assert all(r["locality"].lower().startswith(query.lower()) for r in rows)
    assert "München" in {r["locality"] for r in rows}


@pytest.mark.django_db
def test_autocomplete_finds_munich_without_a_country(anon):
    rows = anon.get("/postcodes?q=Münch").data
    assert "München" in {r["locality"] for r in rows}


@pytest.mark.django_db
def test_autocomplete_finds_zurich_without_the_umlaut(anon):
    rows = anon.get("/postcodes?q=Zurich&country=CH").data
    assert "Zürich" in {r["locality"] for r in rows}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [("q=", "q"), ("country=CH", "q"), ("q=80&country=FR", "country"), (f"q={'8' * 51}", "q")],
)
def test_autocomplete_bad_query_is_a_422_naming_the_parameter(anon, query, field):
    response = anon.get(f"/postcodes?{query}")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.data["errors"]


# --- distances ----------------------------------------------------------------------------


def test_haversine_zurich_hb_to_bern_is_about_95_km():
    assert haversine_km(*ZURICH_HB, *BERN_HB) == pytest.approx(95, abs=3)
    assert haversine_km(*BERN_HB, *ZURICH_HB) == pytest.approx(haversine_km(*ZURICH_HB, *BERN_HB))
    assert haversine_km(*ZURICH_HB, *ZURICH_HB) == 0


@pytest.mark.django_db
def test_distance_between_postcode_centres_matches_the_cities():
    zurich, bern = locate_postcode("CH", "8001"), locate_postcode("CH", "3011")
    km = haversine_km(zurich.latitude, zurich.longitude, bern.latitude, bern.longitude)
    assert km == pytest.approx(95, abs=5)
    berlin, munich = locate_postcode("DE", "10115"), locate_postcode("DE", "80331")
    km = haversine_km(berlin.latitude, berlin.longitude, munich.latitude, munich.longitude)
    assert km == pytest.approx(504, abs=10)


@pytest.mark.parametrize(
    ("km", "shown"),
    [
        (0.0, 0.5),
        (0.1, 0.5),
        (0.7, 0.5),
        (0.8, 1.0),
        (2.2, 2.0),
        (2.3, 2.5),
        (12.9, 13.0),
        (95.4, 95.5),
    ],
)
def test_approximate_km_rounds_to_half_kilometres(km, shown):
    assert approximate_km(km) == shown


@given(st.floats(min_value=0, max_value=2000, allow_nan=False))
def test_approximate_km_is_near_the_truth_but_never_exact_below_half_a_km(km):
    shown = approximate_km(km)
    assert shown >= 0.5
    assert (shown * 2).is_integer()
    if km >= 0.25:
        assert abs(shown - km) <= 0.25
