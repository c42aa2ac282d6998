"""The demo partners: SwissTel and Möbelwerk with members, programs, qualified helpers and
cases in several states, so the partner dashboard and its reports show something.

Seeded on top of a few demo-like helpers (the full demo takes minutes); `demo_seed` calls
the same `partners_seed` after the marketplace."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from quartier.accounts.models import User
from quartier.demo import partners as demo
from quartier.demo.partners import partners_seed
from quartier.demo.seed import DEMO_PASSWORD
from quartier.jobs.states import RequestState
from quartier.partners.facade import ReportFilters, partner_report
from quartier.partners.models import Case, Lesson, Partner, Qualification, QuizQuestion
from tests.factories import make_helper

# One worker takes the whole module, so the demo is seeded once (ONE_WORKER, tests/conftest.py).
pytestmark = pytest.mark.django_db

CH_PLACES = ["8003", "3011", "4051", "6003", "9000", "8037"]
DE_PLACES = ["10115", "80331", "20095", "50667"]


@pytest.fixture(scope="module")
def credentials(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[Any]]:
    """Seeded once for the module, rolled back afterwards."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with django_db_blocker.unblock():
            for index, postcode in enumerate(CH_PLACES):
                make_helper(
                    email=f"ch{index}@helpers.example",
                    postcode=postcode,
                    skills=["internet-wlan", "tv-set-top-box"],
                    radius_km=30,
                )
            for index, postcode in enumerate(DE_PLACES):
                make_helper(
                    email=f"de{index}@helpers.example",
                    country="DE",
                    postcode=postcode,
                    skills=["furniture-assembly"],
                    radius_km=30,
                )
            # The factory helpers have no rated jobs yet: let them in (the demo's thresholds
            # are for helpers with a history).
            saved = demo.MIN_SKILL_SCORE, demo.MIN_COMPLETED_JOBS
            demo.MIN_SKILL_SCORE, demo.MIN_COMPLETED_JOBS = Decimal(1), 0
            try:
                yield partners_seed()
            finally:
                demo.MIN_SKILL_SCORE, demo.MIN_COMPLETED_JOBS = saved
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_both_partners_have_a_program_with_lessons_and_quizzes(credentials):
    for slug, currency in (("swisstel", "CHF"), ("moebelwerk", "EUR")):
        partner = Partner.objects.get(slug=slug)
        program = partner.programs.get()
        assert program.currency == currency
        assert program.technician_cost_minor > 0
        assert program.services.count() == 3
        assert Lesson.objects.filter(program=program).count() == 2
        assert QuizQuestion.objects.filter(lesson__program=program).exists()


def test_cases_in_several_states_fill_the_reports(credentials):
    partner = Partner.objects.get(slug="swisstel")
    states = set(Case.objects.filter(partner=partner).values_list("request__state", flat=True))
    assert {
        RequestState.REQUESTED,
        RequestState.COMPLETED,
        RequestState.CLOSED,
        RequestState.ESCALATED,
        RequestState.CANCELLED,
    } <= states

    report = partner_report(partner, ReportFilters(period="week"))
    assert len(report.totals) > 2
    assert sum(row.cost_avoided_minor for row in report.rows) > 0
    assert any(row.first_offer_median_minutes for row in report.rows)
    assert any(row.satisfaction for row in report.rows)


def test_qualified_helpers_have_the_programs_skills(credentials):
    qualified = Qualification.objects.filter(state="qualified", program__partner__slug="swisstel")
    assert qualified.exists()
    for qualification in qualified.select_related("helper__helper_profile"):
        assert qualification.helper.helper_profile.country == "CH"
        assert qualification.training_passed_at is not None
    assert Qualification.objects.filter(state="applied").exists()  # the partner's queue


def test_partner_members_log_in_to_their_own_dashboard(credentials):
    emails = [email for _, email, _ in credentials]
    assert emails == [
        "partner@swisstel.example",
        "analyst@swisstel.example",
        "partner@moebelwerk.example",
        "analyst@moebelwerk.example",
    ]
    for email in emails[:2]:
        client = Client()
        assert client.login(username=email, password=DEMO_PASSWORD)
        assert client.get("/partner/swisstel/").status_code == 200
        assert client.get("/partner/moebelwerk/").status_code == 404


def test_a_second_run_changes_nothing(credentials):
    cases, users = Case.objects.count(), User.objects.count()

    assert partners_seed() == []
    assert (Case.objects.count(), User.objects.count()) == (cases, users)


def test_open_cases_keep_one_first_offer_deadline(credentials):
    """The case's SLA and its dispatch never disagree, even on back-dated demo cases."""
    waiting = Case.objects.filter(
        partner__slug="swisstel", request__state=RequestState.REQUESTED
    ).select_related("request__dispatch")
    assert waiting
    for case in waiting:
        assert case.request.dispatch.deadline_at == case.first_offer_due_at


def test_a_new_case_in_zurich_is_invited_at_once(credentials):
    """What the documented curl does on `make run`: someone qualified is asked right away."""
    from quartier.dispatch.models import Invitation
    from quartier.partners.facade import case_create

    case = case_create(
        partner=Partner.objects.get(slug="swisstel"),
        program="home-internet-tv",
        service_code="router-setup",
        reference="TT-NEW",
        contact_name="Anna Muster",
        contact_email="anna.new@example.ch",
        contact_phone="",
        country="CH",
        postcode="8004",
        street_address="Badenerstrasse 12",
        description="No internet since the storm.",
        products=[],
    )
    from quartier.dispatch.services import dispatch_first_wave

    dispatch_first_wave(request_id=case.request_id)
    assert Invitation.objects.filter(dispatch__request_id=case.request_id).exists()
