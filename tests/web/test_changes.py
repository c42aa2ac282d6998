"""Changes during the visit on the booking page: the helper proposes, the customer approves
or rejects — with the withdrawal notice and its two boxes where a German consumer has one."""

from __future__ import annotations

import pytest

from quartier.bookings.change_models import VisitChange
from quartier.bookings.models import Booking
from tests.factories import play_visit
from tests.invoicing.helpers import job, payout_profile

pytestmark = pytest.mark.django_db

CABLE = {"kind": "material", "label": "HDMI-Kabel", "quantity": "1", "unit_price": "15.00"}


def test_the_helper_proposes_a_change_only_during_the_visit(browser_as, booking, helper):
    client = browser_as(helper, "de")
    before = client.get(f"/bookings/{booking.pk}").content.decode()
    assert "Änderung vorschlagen" not in before
    play_visit(booking, until="checked_in")
    page = client.get(f"/bookings/{booking.pk}").content.decode()
    assert "Änderung vorschlagen" in page

    bad = client.post(f"/bookings/{booking.pk}/changes", {**CABLE, "label": "", "unit_price": ""})
    assert bad.status_code == 422
    assert 'class="form-errors" role="alert"' in bad.content.decode()
    assert not VisitChange.objects.exists()

    sent = client.post(f"/bookings/{booking.pk}/changes", {**CABLE, "vat_rate": "0"})
    assert sent.status_code == 302
    page = client.get(sent["Location"]).content.decode()
    assert "Vorgeschlagen. Der Kunde wird um Freigabe gebeten." in page
    assert "HDMI-Kabel" in page
    assert "Wartet auf Antwort" in page
    assert "verfällt beim Auschecken" in page  # the check-out form warns
    change = VisitChange.objects.get()
    assert (change.unit_minor, change.total_minor, change.status) == (1500, 1500, "proposed")


def test_a_german_vat_rate_on_a_swiss_job_is_a_form_error(browser_as, booking, helper):
    play_visit(booking, until="checked_in")
    refused = browser_as(helper).post(
        f"/bookings/{booking.pk}/changes", {**CABLE, "vat_rate": "19"}
    )
    assert refused.status_code == 422
    assert not VisitChange.objects.exists()


def test_the_customer_approves_or_rejects_on_the_booking_page(browser_as, booking, customer):
    play_visit(booking, until="checked_in")
    helper_client = browser_as(booking.helper)
    for label in ("Kabel", "Halterung"):
        helper_client.post(
            f"/bookings/{booking.pk}/changes", {**CABLE, "label": label, "vat_rate": "0"}
        )
    client = browser_as(customer, "de")
    page = client.get(f"/bookings/{booking.pk}").content.decode()
    assert page.count('value="approve"') == 2
    assert "Widerrufsrecht" not in page  # Switzerland
    cable, bracket = VisitChange.objects.order_by("pk")
    approved = client.post(f"/bookings/{booking.pk}/changes/{cable.pk}", {"answer": "approve"})
    assert (
        "Freigegeben. Eine Bestätigung kommt per E-Mail."
        in client.get(approved["Location"]).content.decode()
    )
    client.post(f"/bookings/{booking.pk}/changes/{bracket.pk}", {"answer": "reject"})
    assert dict(VisitChange.objects.values_list("label", "status")) == {
        "Kabel": "approved",
        "Halterung": "rejected",
    }
    assert Booking.objects.get(pk=booking.pk).price_minor == 9000 + 1500
    # The helper cannot answer, a stranger does not even see it.
    assert (
        browser_as(booking.helper)
        .post(f"/bookings/{booking.pk}/changes/{bracket.pk}", {"answer": "approve"})
        .status_code
        == 302
    )
    assert VisitChange.objects.get(pk=bracket.pk).status == "rejected"


def test_a_german_consumer_sees_the_trader_and_two_unticked_boxes(browser_as):
    booking = job("DE")
    payout_profile(booking.helper, "de_small")
    play_visit(booking, until="checked_in")
    browser_as(booking.helper).post(
        f"/bookings/{booking.pk}/changes",
        {
            "kind": "labour",
            "label": "Regal montieren",
            "quantity": "1",
            "unit_price": "40",
            "vat_rate": "0",
        },
    )
    change = VisitChange.objects.get()
    client = browser_as(booking.customer, "de")
    page = client.get(f"/bookings/{booking.pk}").content.decode()
    assert "Du vereinbarst diese Änderung mit Bernd Beispiel" in page
    assert "Muster-Widerrufsformular" in page
    assert "Invalidenstraße 117, 10115 Berlin" in page
    assert 'name="early_start"' in page
    assert 'name="loss_acknowledged"' in page
    assert "checked" not in page.split(f'id="change-{change.pk}"')[1].split("</form>")[0]

    unticked = client.post(f"/bookings/{booking.pk}/changes/{change.pk}", {"answer": "approve"})
    assert "Kreuze beide Kästchen an" in client.get(unticked["Location"]).content.decode()
    assert VisitChange.objects.get().status == "proposed"
    client.post(
        f"/bookings/{booking.pk}/changes/{change.pk}",
        {"answer": "approve", "early_start": "on", "loss_acknowledged": "on"},
    )
    assert VisitChange.objects.get().status == "approved"


def test_the_request_form_offers_an_urgent_repair(browser_as, customer):
    page = browser_as(customer, "de").get("/requests/new").content.decode()
    assert "Dringende Reparatur" in page


def test_on_an_urgent_repair_the_helper_can_mark_work_as_part_of_it(browser_as, booking, helper):
    from quartier.jobs.models import JobRequest

    JobRequest.objects.filter(pk=booking.request_id).update(urgent=True)
    play_visit(booking, until="checked_in")
    client = browser_as(helper, "de")
    page = client.get(f"/bookings/{booking.pk}").content.decode()
    assert "Dringende Reparatur, vom Kunden erbeten" in page
    assert 'name="urgent_repair"' in page
    client.post(
        f"/bookings/{booking.pk}/changes", {**CABLE, "vat_rate": "0", "urgent_repair": "on"}
    )
    assert VisitChange.objects.get().urgent_repair is True
