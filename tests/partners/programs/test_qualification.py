"""Helpers qualifying for a partner program: figures, approval, matching, suspension, revoke."""

from __future__ import annotations

from decimal import Decimal

import pytest

from quartier.accounts.models import User
from quartier.errors import Conflict, Forbidden, NotFound
from quartier.events.outbox import events_deliver
from quartier.matching.selectors import match_helpers
from quartier.partners.cases.selectors import case_details_for_helper
from quartier.partners.models import (
    Lesson,
    Program,
    Qualification,
    QualificationEvent,
    QuizQuestion,
)
from quartier.partners.programs.selectors import (
    program_list_for_helper,
    qualification_eligibility,
    qualification_list_for_partner,
)
from quartier.partners.programs.services import (
    qualification_apply,
    qualification_approve,
    qualification_revoke,
)
from quartier.partners.programs.training import quiz_submit
from quartier.partners.states import PartnerRole
from tests.factories import (
    make_booking,
    make_customer,
    make_helper,
    make_request,
    play_visit,
    review_published,
)
from tests.partners.factories import make_member, make_partner, make_program, make_qualified
from tests.partners.test_webhooks_support import PartnerSetup, open_case

pytestmark = pytest.mark.django_db

SKILL = "internet-wlan"


def do_jobs(helper: User, ratings: list[int], *, first_day: int = 2) -> None:
    """The helper completes one job per rating in the program's skill and is rated so."""
    customer = make_customer()
    for offset, rating in enumerate(ratings):
        booking = make_booking(customer, helper, skill=SKILL, days=first_day + 2 * offset)
        play_visit(booking.pk)
        review_published(customer, booking_id=booking.pk, rating=rating)


def with_lesson(program: Program) -> Lesson:
    lesson = Lesson.objects.create(
        program=program, title="The router", body="Red light: reboot.", pass_mark_percent=50
    )
    QuizQuestion.objects.create(
        lesson=lesson,
        position=1,
        prompt="Red light?",
        choices=["Reboot", "Dance"],
        correct_choice=0,
    )
    QuizQuestion.objects.create(
        lesson=lesson, position=2, prompt="Cable?", choices=["Cut", "Plug in"], correct_choice=1
    )
    return lesson


@pytest.fixture
def program() -> Program:
    return make_program(make_partner(), min_skill_score=Decimal("4.30"), min_completed_jobs=3)


@pytest.fixture
def admin(program: Program) -> User:
    return make_member(program.partner, email="admin@swisstel.example")


@pytest.fixture
def hans() -> User:
    return make_helper(email="hans@x.example", postcode="8003", skills=[SKILL], radius_km=20)


def qualify(hans: User, program: Program, admin: User) -> Qualification:
    """Apply, pass the one-lesson training, get approved."""
    lesson = program.lessons.first() or with_lesson(program)
    qualification_apply(actor=hans, program_id=program.pk)
    quiz_submit(actor=hans, lesson_id=lesson.pk, answers=[0, 1])
    qualification = Qualification.objects.get(program=program, helper=hans)
    return qualification_approve(actor=admin, qualification_id=qualification.pk)


def test_one_five_star_review_does_not_qualify_and_the_helper_is_told_why(program, hans):
    do_jobs(hans, [5])

    eligibility = qualification_eligibility(hans, program)

    assert not eligibility.eligible
    (check,) = eligibility.checks
    assert round(check.score, 2) == 4.33  # 5 pseudo-reviews at 4.2 + one at 5
    assert check.score_ok
    assert check.completed_jobs == 1
    assert eligibility.reasons == [
        "You have completed 1 job in Internet & WLAN; the program needs at least 3."
    ]


def test_three_good_jobs_qualify(program, hans):
    do_jobs(hans, [5, 5, 5])

    eligibility = qualification_eligibility(hans, program)

    assert eligibility.eligible
    assert eligibility.reasons == []
    assert round(eligibility.checks[0].score, 2) == 4.5


def test_approval_needs_training_and_eligibility(program, admin, hans):
    lesson = with_lesson(program)
    qualification = qualification_apply(actor=hans, program_id=program.pk)

    with pytest.raises(Conflict) as no_training:
        qualification_approve(actor=admin, qualification_id=qualification.pk)
    quiz_submit(actor=hans, lesson_id=lesson.pk, answers=[0, 1])
    with pytest.raises(Conflict) as not_eligible:
        qualification_approve(actor=admin, qualification_id=qualification.pk)

    assert no_training.value.code == "training_not_passed"
    assert not_eligible.value.code == "not_eligible"
    assert "0 jobs" in not_eligible.value.detail
    qualification.refresh_from_db()
    assert qualification.state == "applied"


def test_apply_train_approve_then_the_helper_gets_the_partner_case(program, admin, hans):
    public_only = make_helper(email="other@x.example", postcode="8003", skills=[SKILL])
    do_jobs(hans, [5, 5, 5])
    case = open_case(PartnerSetup(program.partner, admin, program, hans))
    assert hans.pk not in {m.helper_id for m in match_helpers(case.request)}

    qualification = qualify(hans, program, admin)

    assert qualification.state == "qualified"
    assert qualification.decided_by == admin
    matched = {m.helper_id for m in match_helpers(case.request)}
    assert hans.pk in matched
    assert public_only.pk not in matched
    public = make_request(make_customer(), skill=SKILL)
    assert public_only.pk in {m.helper_id for m in match_helpers(public)}
    assert [e.to_state for e in QualificationEvent.objects.order_by("id")] == [
        "applied",
        "applied",  # training passed
        "qualified",
    ]


def test_a_bad_review_suspends_and_good_ones_reinstate(program, admin, hans):
    do_jobs(hans, [5, 5, 5])
    qualification = qualify(hans, program, admin)

    do_jobs(hans, [1], first_day=20)  # (5 x 4.2 + 15 + 1) / 9 = 4.11 < 4.30
    events_deliver()  # the worker hands the review to partners

    qualification.refresh_from_db()
    assert qualification.state == "suspended"
    assert "Internet & WLAN score 4.11" in qualification.reason
    case = open_case(PartnerSetup(program.partner, admin, program, hans))
    assert hans.pk not in {m.helper_id for m in match_helpers(case.request)}

    do_jobs(hans, [5, 5, 5], first_day=30)  # (21 + 31) / 12 = 4.33
    events_deliver()

    qualification.refresh_from_db()
    assert qualification.state == "qualified"
    assert qualification.training_passed_at is not None
    assert hans.pk in {m.helper_id for m in match_helpers(case.request)}


def test_revoke_then_apply_again(program, admin, hans):
    do_jobs(hans, [5, 5, 5])
    qualification = qualify(hans, program, admin)

    qualification_revoke(actor=admin, qualification_id=qualification.pk, reason="No-shows")
    qualification.refresh_from_db()
    assert qualification.state == "revoked"
    assert qualification.reason == "No-shows"
    assert program.pk not in {
        q.program_id for q in qualification_list_for_partner(program.partner, state="qualified")
    }

    again = qualification_apply(actor=hans, program_id=program.pk)
    assert again.pk == qualification.pk
    assert again.state == "applied"
    with pytest.raises(Conflict):
        qualification_apply(actor=hans, program_id=program.pk)


def test_outsiders_and_analysts_cannot_decide(program, hans):
    qualification = qualification_apply(actor=hans, program_id=program.pk)
    analyst = make_member(program.partner, role=PartnerRole.ANALYST, email="an@x.example")
    other = make_member(make_partner(slug="moebel", name="Möbel"), email="o@x.example")

    with pytest.raises(Forbidden):
        qualification_revoke(actor=analyst, qualification_id=qualification.pk, reason="x")
    with pytest.raises(NotFound):
        qualification_approve(actor=other, qualification_id=qualification.pk)
    qualification.refresh_from_db()
    assert qualification.state == "applied"


def test_programs_elsewhere_are_not_offered(hans):
    partner = make_partner()
    make_program(partner, slug="germany", country="DE")
    near = make_program(partner, slug="swiss")

    assert [p.program.pk for p in program_list_for_helper(hans)] == [near.pk]
    germany = Program.objects.get(slug="germany")
    with pytest.raises(NotFound):
        qualification_apply(actor=hans, program_id=germany.pk)
    assert not Qualification.objects.exists()


def test_customers_cannot_apply(program):
    with pytest.raises(Forbidden):
        qualification_apply(actor=make_customer(), program_id=program.pk)
    assert not Qualification.objects.exists()


def test_case_details_show_products_to_qualified_helpers_only(program, admin, hans):
    stranger = make_helper(email="s@x.example", postcode="8003", skills=[SKILL])
    make_qualified(hans, program)
    case = open_case(PartnerSetup(program.partner, admin, program, hans))

    details = case_details_for_helper(helper=hans, request_id=case.request_id)

    assert details is not None
    assert details.products == [{"kind": "router", "model": "Box 5"}]
    assert details.service_name == "Router Setup"
    assert not details.may_escalate
    assert case_details_for_helper(helper=stranger, request_id=case.request_id) is None
