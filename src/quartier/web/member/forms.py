"""The review form, for either party of a finished booking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

RATINGS = [(str(n), str(n)) for n in range(5, 0, -1)]


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Overall"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "stars"}),
        help_text=_("5 is excellent, 1 is poor."),
    )
    text = forms.CharField(
        label=_("A few words (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, skill_name: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if skill_name is not None:  # the customer also rates the skill used on the job
            self.fields["skill_rating"] = forms.TypedChoiceField(
                label=_("In %(skill)s") % {"skill": skill_name},
                choices=RATINGS,
                coerce=int,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "stars"}),
                help_text=_("Leave it empty to use the overall rating."),
            )
            self.order_fields(["rating", "skill_rating", "text"])


class ReviewReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply (once, shown beside the review)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewReportForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong with this review?"), max_length=500)
