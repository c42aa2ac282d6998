"""Partner training: a program's lessons with quizzes, passed before the first case.

Retries are unlimited and every attempt is recorded. When every lesson of the program has a
passed attempt, the qualification's `training_passed_at` is set (once; it keeps counting
through suspensions, see services.py). Correct answers never leave the server: pages
get `QuestionView`s, which carry no `correct_choice`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.errors import Conflict, NotFound, field_error

from ..models import Lesson, Qualification, QualificationEvent, QuizAttempt
from ..states import QualificationState
from .services import qualification_pool_sync


@dataclass(frozen=True)
class QuestionView:
    """What the quiz page may show: never the correct answer."""

    id: int
    prompt: str
    choices: list[str]


def lesson_questions(lesson: Lesson) -> list[QuestionView]:
    return [
        QuestionView(id=q.pk, prompt=q.prompt, choices=[str(c) for c in q.choices])
        for q in lesson.questions.all()
    ]


def _qualification_for(actor: User, lesson: Lesson) -> Qualification:
    qualification = Qualification.objects.filter(program_id=lesson.program_id, helper=actor).first()
    if qualification is None or qualification.state == QualificationState.REVOKED:
        raise Conflict("Apply to the program before taking its quizzes.", code="not_applied")
    return qualification


def get_lesson_for_helper(actor: User, lesson_id: int) -> Lesson:
    """A lesson of an active program; NotFound otherwise."""
    lesson = (
        Lesson.objects.select_related("program__partner")
        .filter(pk=lesson_id, program__is_active=True, program__partner__is_active=True)
        .first()
    )
    if lesson is None:
        raise NotFound("No such lesson.")
    return lesson


def quiz_submit(*, actor: User, lesson_id: int, answers: list[int]) -> QuizAttempt:
    """Score one attempt (percent of questions right) against the lesson's pass mark."""
    lesson = get_lesson_for_helper(actor, lesson_id)
    qualification = _qualification_for(actor, lesson)
    questions = list(lesson.questions.all())
    if not questions:
        raise Conflict("This lesson has no quiz.", code="no_quiz")
    if len(answers) != len(questions):
        raise field_error("answers", "Answer every question.", code="answers_missing")
    for index, (question, answer) in enumerate(zip(questions, answers, strict=True)):
        if not 0 <= answer < len(question.choices):
            raise field_error(f"answers.{index}", "Choose one of the given answers.")
    right = sum(1 for q, a in zip(questions, answers, strict=True) if q.correct_choice == a)
    percent = round(100 * right / len(questions))
    passed = percent >= lesson.pass_mark_percent
    with transaction.atomic():
        attempt = QuizAttempt.objects.create(
            qualification=qualification,
            lesson=lesson,
            answers=list(answers),
            score_percent=percent,
            passed=passed,
        )
        if passed and qualification.training_passed_at is None:
            lesson_ids = set(lesson.program.lessons.values_list("id", flat=True))
            passed_ids = set(
                QuizAttempt.objects.filter(qualification=qualification, passed=True)
                .values_list("lesson_id", flat=True)
                .distinct()
            )
            if lesson_ids <= passed_ids:
                done = Qualification.objects.filter(
                    pk=qualification.pk, training_passed_at__isnull=True
                ).update(training_passed_at=timezone.now(), updated_at=timezone.now())
                if done:
                    qualification.refresh_from_db()
                    qualification_pool_sync(qualification)
                    QualificationEvent.objects.create(
                        qualification=qualification,
                        actor=actor,
                        from_state=qualification.state,
                        to_state=qualification.state,
                        note="Training passed.",
                    )
    return attempt


def lesson_progress(actor: User, program_id: int) -> dict[int, tuple[bool, int | None]]:
    """Lesson id -> (passed, best score percent or None) for the helper."""
    out: dict[int, tuple[bool, int | None]] = {}
    rows = QuizAttempt.objects.filter(
        qualification__helper=actor, qualification__program_id=program_id
    ).values_list("lesson_id", "passed", "score_percent")
    for lesson_id, passed, score in rows:
        was_passed, best = out.get(lesson_id, (False, None))
        out[lesson_id] = (was_passed or passed, max(best or 0, score))
    return out
