"""Forms of the helper's partner-program pages: quizzes and "needs a technician"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from quartier.partners.facade import QuestionView

from ..fields import PhotosField


class QuizForm(forms.Form):
    """One radio group per question; the values are choice indexes, never marked right."""

    def __init__(self, data: Any = None, *, questions: list[QuestionView]) -> None:
        super().__init__(data)
        self.questions = questions
        for index, question in enumerate(questions):
            self.fields[f"q{question.id}"] = forms.TypedChoiceField(
                label=f"{index + 1}. {question.prompt}",
                choices=[(str(i), text) for i, text in enumerate(question.choices)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer to this question.")},
            )

    def answers(self) -> list[int]:
        return [int(self.cleaned_data[f"q{q.id}"]) for q in self.questions]


class EscalationForm(forms.Form):
    note = forms.CharField(
        label=_("What did you find?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The technician reads this before the visit."),
        error_messages={"required": _("Say what you found, for the technician.")},
    )
    photos = PhotosField(
        label=_("Photos (up to 5)"), required=False, help_text=_("JPEG, PNG or WebP.")
    )
