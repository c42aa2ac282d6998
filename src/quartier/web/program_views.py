"""The helper's partner-program pages: programs near them, applying, training, escalating."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from quartier.errors import QuartierError
from quartier.partners.facade import (
    case_escalate_by_helper,
    get_lesson_for_helper,
    get_program_for_helper,
    lesson_progress,
    lesson_questions,
    program_list_for_helper,
    qualification_apply,
    quiz_submit,
)

from .access import actor_of, back_to, posted, role_view
from .program_forms import EscalationForm, QuizForm
from .service_errors import add_to_form, friendly

helper_view = role_view("helper")


@helper_view
def program_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "web/programs/list.html", {"programs": program_list_for_helper(actor_of(request))}
    )


@helper_view
def program_detail(request: HttpRequest, program_id: int) -> HttpResponse:
    actor = actor_of(request)
    item = get_program_for_helper(actor, program_id)
    progress = lesson_progress(actor, program_id)
    lessons = [
        (lesson, *progress.get(lesson.pk, (False, None))) for lesson in item.program.lessons.all()
    ]
    return render(request, "web/programs/detail.html", {"item": item, "lessons": lessons})


@require_POST
@helper_view
def program_apply(request: HttpRequest, program_id: int) -> HttpResponse:
    try:
        qualification_apply(actor=actor_of(request), program_id=program_id)
    except QuartierError as error:
        if error.status == 404:
            raise
        messages.error(request, friendly(error))
    else:
        messages.success(request, gettext("You have applied. Pass the training to be considered."))
    return redirect("web:helper_program", program_id)


@helper_view
def lesson(request: HttpRequest, lesson_id: int) -> HttpResponse:
    """The lesson text and its quiz (radio buttons); a POST scores an attempt."""
    actor = actor_of(request)
    current = get_lesson_for_helper(actor, lesson_id)
    form = QuizForm(posted(request), questions=lesson_questions(current))
    attempt = None
    if request.method == "POST" and form.is_valid():
        try:
            attempt = quiz_submit(actor=actor, lesson_id=lesson_id, answers=form.answers())
        except QuartierError as error:
            if error.status == 404:
                raise
            add_to_form(form, error)
        else:
            form = QuizForm(None, questions=form.questions)  # a retry starts blank
    return render(
        request,
        "web/programs/lesson.html",
        {"lesson": current, "form": form, "attempt": attempt},
        status=422 if request.method == "POST" and form.errors else 200,
    )


@require_POST
@helper_view
def case_escalate(request: HttpRequest, case_id: int) -> HttpResponse:
    """ "Needs a technician": notes plus up to 5 photos (multipart), for the booked helper."""
    form = EscalationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            case_escalate_by_helper(
                actor=actor_of(request),
                case_id=case_id,
                note=form.cleaned_data["note"],
                photos=form.cleaned_data["photos"],
            )
        except QuartierError as error:
            if error.status == 404:
                raise
            messages.error(request, friendly(error))
            for problems in error.errors.values():
                for problem in problems:
                    messages.error(request, gettext(problem))
        else:
            messages.success(request, gettext("Thank you. The partner's technicians take over."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
    return back_to(request, "web:helper_bookings")
