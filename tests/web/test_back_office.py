"""The operators' back office: Quartier's theme, the queues, deciding a dispute; and the
booking page's "report a problem"."""

from __future__ import annotations

import pytest

from quartier.bookings.models import Dispute
from quartier.messaging.models import AbuseReport
from quartier.messaging.services import abuse_report, message_send
from tests.factories import make_booking, make_customer, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return make_customer(email="ops@example.com", is_staff=True, is_superuser=True)


def test_a_party_reports_a_problem_from_the_booking_page(browser_as, customer, helper):
    booking = make_booking(customer, helper)
    page = browser_as(customer).get(f"/bookings/{booking.pk}").content.decode()
    assert "Report a problem with this booking" in page
    sent = browser_as(customer).post(
        f"/bookings/{booking.pk}/problem",
        {"reason": "no_show", "description": "Nobody came at 9."},
        follow=True,
    )
    html = sent.content.decode()
    assert "Our team looks at it" in html
    assert "Nobody came at 9." in html
    assert "Report a problem with this booking" not in html  # one open at a time
    as_helper = browser_as(helper).get(f"/bookings/{booking.pk}").content.decode()
    assert "Nobody came at 9." in as_helper


def test_the_queues_count_what_waits_and_an_operator_decides_a_dispute(
    browser_as, customer, helper, operator
):
    booking = make_booking(customer, helper)
    browser_as(customer).post(
        f"/bookings/{booking.pk}/problem", {"reason": "price", "description": "Charged twice."}
    )
    job = make_request(customer, title="Another job")
    rude = message_send(actor=helper, request_id=job.pk, helper_id=helper.pk, body="rude")
    abuse_report(actor=customer, message_id=rude.pk, reason="insult")

    admin = browser_as(operator)
    index = admin.get("/admin/").content.decode()
    assert "Quartier · back office" in index
    assert "--primary: #0b6e4f" in index
    assert "<strong>1</strong>Open disputes" in index
    assert "<strong>1</strong>Reported messages" in index
    assert "/admin/bookings/dispute/?status__exact=open" in index

    dispute = Dispute.objects.get()
    change = f"/admin/bookings/dispute/{dispute.pk}/change/"
    assert admin.get(change).status_code == 200
    admin.post(change, {"resolution": "Refund of the second charge."})
    dispute.refresh_from_db()
    assert dispute.status == "resolved"
    assert dispute.resolved_by == operator
    decided = browser_as(customer).get(f"/bookings/{booking.pk}").content.decode()
    assert "Refund of the second charge." in decided
    assert AbuseReport.objects.get().status == "open"


def test_an_operator_refunds_part_of_the_price_in_the_back_office(
    browser_as, customer, helper, operator
):
    booking = make_booking(customer, helper)  # 90.00
    browser_as(customer).post(
        f"/bookings/{booking.pk}/problem", {"reason": "price", "description": "Charged twice."}
    )
    dispute = Dispute.objects.get()
    admin = browser_as(operator)
    change = f"/admin/bookings/dispute/{dispute.pk}/change/"
    assert 'name="refund_minor"' in admin.get(change).content.decode()

    too_much = admin.post(change, {"resolution": "All back.", "refund_minor": "9001"}, follow=True)
    assert "The refund must lie between 0 and the job" in too_much.content.decode()
    dispute.refresh_from_db()
    assert (dispute.status, dispute.refund_minor) == ("open", 0)

    admin.post(change, {"resolution": "Half back.", "refund_minor": "4500"})
    dispute.refresh_from_db()
    assert (dispute.status, dispute.refund_minor) == ("resolved", 4500)


def test_partner_cases_past_their_sla_wait_in_a_queue(browser_as, operator):
    from datetime import timedelta

    from django.utils import timezone

    from quartier.partners.models import Case
    from tests.partners.cases.test_reports import new_case
    from tests.partners.factories import make_partner, make_program

    partner = make_partner(slug="swisstel", name="SwissTel")
    make_program(partner)
    late, in_time = new_case(partner, "LATE"), new_case(partner, "FINE")
    past = timezone.now() - timedelta(hours=1)
    Case.objects.filter(pk=late.pk).update(
        created_at=past - timedelta(hours=4), first_offer_due_at=past
    )

    admin = browser_as(operator)
    assert (
        "<strong>1</strong>Partner cases past their SLA, not escalated"
        in admin.get("/admin/").content.decode()
    )
    listed = admin.get("/admin/partners/case/?sla=past").content.decode()
    assert "LATE" in listed
    assert "FINE" not in listed
    assert in_time.reference == "FINE"
