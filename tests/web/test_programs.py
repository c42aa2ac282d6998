"""The helper's partner-program pages: programs near them, applying, quizzes, case details
with the "needs a technician" form, in German and English."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from quartier.dispatch.services import invitation_accept
from quartier.partners.facade import qualification_apply
from quartier.partners.models import Case, Lesson, Qualification, QuizAttempt, QuizQuestion
from tests.factories import make_customer, make_helper
from tests.images import PNG
from tests.partners.factories import make_member, make_partner, make_program, make_qualified
from tests.partners.test_webhooks_support import PartnerSetup, invite, open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    program = make_program(make_partner(), min_skill_score=Decimal("4.00"), min_completed_jobs=3)
    lesson = Lesson.objects.create(
        program=program, title="Router basics", body="Reboot first.", pass_mark_percent=100
    )
    QuizQuestion.objects.create(
        lesson=lesson, prompt="What first?", choices=["Reboot", "Replace"], correct_choice=0
    )
    QuizQuestion.objects.create(
        lesson=lesson, prompt="Then?", choices=["Call", "Check the cable"], correct_choice=1
    )
    return program


@pytest.fixture
def hans(db):
    return make_helper(
        email="hans@x.example", full_name="Hans Meier", postcode="8003", skills=["internet-wlan"]
    )


@pytest.mark.parametrize("language", ["en", "de"])
def test_program_list_shows_prices_requirements_and_figures(browser_as, program, hans, language):
    page = browser_as(hans, language).get("/helper/programs")

    html = page.content.decode()
    assert page.status_code == 200
    assert f'lang="{language}' in html
    assert "Home Internet" in html
    assert "SwissTel" in html
    assert "89" in html  # the fixed price
    assert "0 jobs" in html  # the helper's figures, in plain words


def test_helpers_far_away_see_no_program(browser_as, program):
    berlin = make_helper(email="b@x.example", country="DE", postcode="10115")
    page = browser_as(berlin).get("/helper/programs").content.decode()
    assert "Home Internet" not in page
    assert browser_as(berlin).get(f"/helper/programs/{program.pk}").status_code == 404


def test_customers_are_told_the_page_is_for_helpers(browser_as, program):
    assert browser_as(make_customer()).get("/helper/programs").status_code == 403


def test_apply_from_the_program_page(browser_as, program, hans):
    client = browser_as(hans)

    answer = client.post(f"/helper/programs/{program.pk}/apply", follow=True)

    assert Qualification.objects.get(helper=hans).state == "applied"
    html = answer.content.decode()
    assert "You have applied" in html
    assert "Applied" in html
    assert "Router basics" in html


def test_quiz_page_hides_answers_scores_and_allows_retry(browser_as, program, hans):
    qualification_apply(actor=hans, program_id=program.pk)
    lesson = program.lessons.get()
    client = browser_as(hans)

    page = client.get(f"/helper/lessons/{lesson.pk}").content.decode()
    assert 'type="radio"' in page
    assert "Check the cable" in page
    assert "correct" not in page.lower()

    wrong = client.post(
        f"/helper/lessons/{lesson.pk}", {f"q{q.pk}": "0" for q in lesson.questions.all()}
    )
    assert "You scored 50%" in wrong.content.decode()
    first, second = lesson.questions.all()
    right = client.post(f"/helper/lessons/{lesson.pk}", {f"q{first.pk}": "0", f"q{second.pk}": "1"})
    assert "You scored 100%" in right.content.decode()
    assert QuizAttempt.objects.count() == 2
    assert Qualification.objects.get(helper=hans).training_passed_at is not None


def test_an_unanswered_question_gets_a_friendly_error(browser_as, program, hans):
    qualification_apply(actor=hans, program_id=program.pk)
    lesson = program.lessons.get()
    first = lesson.questions.first()

    page = browser_as(hans, "en").post(f"/helper/lessons/{lesson.pk}", {f"q{first.pk}": "0"})

    assert page.status_code == 422
    assert "Choose an answer to this question." in page.content.decode()
    assert not QuizAttempt.objects.exists()


@pytest.fixture
def booked_case(program, hans):
    admin = make_member(program.partner, email="admin@x.example")
    make_qualified(hans, program)
    case = open_case(PartnerSetup(program.partner, admin, program, hans))
    case.products = [{"kind": "router", "model": "Box 5", "diagnostics": {"dsl_sync": "down"}}]
    case.save(update_fields=["products"])
    booking = invitation_accept(actor=hans, invitation_id=invite(case).pk)
    return case, booking


@pytest.mark.parametrize("language", ["en", "de"])
def test_booked_helper_sees_products_and_diagnostics(browser_as, booked_case, hans, language):
    case, booking = booked_case

    html = browser_as(hans, language).get(f"/bookings/{booking.pk}").content.decode()

    assert "Box 5" in html
    assert "DSL sync" in html  # the diagnostic key, as people read it
    assert "down" in html
    assert "Home Internet" in html
    assert "Router Setup" in html
    assert f"/helper/cases/{case.pk}/escalate" in html
    assert 'enctype="multipart/form-data"' in html


def test_needs_a_technician_hands_the_case_over_with_photos(browser_as, booked_case, hans):
    case, booking = booked_case
    photo = SimpleUploadedFile("router.png", PNG, content_type="image/png")

    answer = browser_as(hans).post(
        f"/helper/cases/{case.pk}/escalate",
        {"note": "The line is dead outside.", "photos": [photo], "next": f"/bookings/{booking.pk}"},
        follow=True,
    )

    case.refresh_from_db()
    assert case.escalation_reason == "helper"
    assert case.photos.count() == 1
    assert "technicians take over" in answer.content.decode()


def test_escalation_without_a_note_is_refused_kindly(browser_as, booked_case, hans):
    case, booking = booked_case

    answer = browser_as(hans).post(
        f"/helper/cases/{case.pk}/escalate",
        {"note": "", "next": f"/bookings/{booking.pk}"},
        follow=True,
    )

    assert "Say what you found, for the technician." in answer.content.decode()
    assert Case.objects.get(pk=case.pk).escalated_at is None


def test_another_helper_cannot_escalate(browser_as, booked_case):
    case, _booking = booked_case
    other = make_helper(email="o@x.example", postcode="8003", skills=["internet-wlan"])
    answer = browser_as(other).post(f"/helper/cases/{case.pk}/escalate", {"note": "x"})
    assert answer.status_code == 404
    assert Case.objects.get(pk=case.pk).escalated_at is None


def test_a_suspended_helper_sees_why_and_is_not_pushed_to_reapply(browser_as, program, hans):
    make_qualified(hans, program)
    Qualification.objects.filter(helper=hans).update(
        state="suspended", reason="Suspended automatically: Internet & WLAN score 3.80."
    )

    html = browser_as(hans).get(f"/helper/programs/{program.pk}").content.decode()

    assert "Suspended" in html
    assert "score 3.80" in html
    assert "reinstated automatically" in html
    assert f"/helper/programs/{program.pk}/apply" not in html
