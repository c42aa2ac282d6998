"""The helper's "Checks" page: hand in an identity document (pros: register extract and
liability insurance; care and children's work: a criminal-record extract), see each check's
status, and answer a rejection. The files themselves are never shown again: only operators
open them, in the back office."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from quartier.catalog.models import Skill
from quartier.errors import QuartierError
from quartier.uploads import DOCUMENTS
from quartier.vetting.models import CheckKind
from quartier.vetting.selectors import check_list_for, skill_kinds_for
from quartier.vetting.services import check_answer, check_submit

from ..access import actor_of, posted, role_view
from ..service_errors import add_to_form

helper_view = role_view("helper")

#: The services' refusals in the visitor's language, by field code or error code.
WORDS: dict[str, Any] = {
    "date_missing": _("Give the date on the document."),
    "expiry_missing": _("Give the date the document is valid until."),
    "expired": _("This document has expired already."),
    "file_missing": _("Add the document: a PDF or a photo."),
    "answer_missing": _("Write your answer for the person who checks it."),
    "check_pending": _("A document of this kind is waiting for review already."),
    "not_rejected": _("Only a document that was not accepted can be answered."),
    "invalid_kind": _("Choose what kind of document this is."),
}
FILE_WORDS = _("Only PDF documents or photos (JPEG, PNG, WebP, HEIC), at most 3 files of 10 MB.")
#: What a criminal-record extract is called where the helper lives.
RECORD_NAMES = {
    "CH": _("Strafregisterauszug (Swiss criminal-record extract)"),
    "DE": _("Erweitertes Führungszeugnis (extended certificate of good conduct)"),
}


class DocumentsInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    widget = DocumentsInput(attrs={"accept": ".pdf,image/*", "multiple": True})

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > DOCUMENTS.max_count:
            raise forms.ValidationError(FILE_WORDS)
        return [super(DocumentsField, self).clean(f, initial) for f in files]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=CheckKind.choices)
    issued_on = forms.DateField(
        label=_("Date on the document"), required=False, widget=forms.DateInput({"type": "date"})
    )
    expires_on = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput({"type": "date"})
    )
    documents = DocumentsField(
        label=_("File (PDF or photo)"),
        required=False,
        help_text=_("Up to 3 files, 10 MB each. Only the people who check it see it."),
    )
    note = forms.CharField(
        label=_("Note for the person who checks it (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, is_pro: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_pro:  # a private person has no entry in the commercial register
            choices = [c for c in CheckKind.choices if c[0] != CheckKind.REGISTER]
            self.fields["kind"].choices = choices  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    documents = DocumentsField(label=_("Another file (optional)"), required=False)


def show_error(form: forms.Form, error: QuartierError) -> None:
    """The refusal on the form, in the visitor's language where we have its words."""
    codes = {name: error.field_codes.get(name, "") for name in error.errors or {}}
    if any(name.startswith("files.") for name in codes):
        form.add_error("documents", str(FILE_WORDS))
    elif error.code in WORDS:
        form.add_error(None, str(WORDS[error.code]))
    elif any(code in WORDS for code in codes.values()):
        for name, code in codes.items():
            field = {"files": "documents"}.get(name, name)
            form.add_error(
                field if field in form.fields else None, str(WORDS.get(code, error.detail))
            )
    else:
        add_to_form(form, error)


def _needed(actor: Any) -> list[tuple[str, list[str]]]:
    """Kinds of check the helper's skills require, each with those skills' names."""
    needed = skill_kinds_for(actor)
    ids = [skill_id for skill_ids in needed.values() for skill_id in skill_ids]
    names = {s.pk: s.name for s in Skill.objects.filter(pk__in=ids)}
    labels = dict(CheckKind.choices)
    return [(str(labels[k]), sorted(names[s] for s in ids)) for k, ids in sorted(needed.items())]


@helper_view
def vetting(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = UploadForm(posted(request), request.FILES or None, is_pro=actor.is_pro)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check_submit(
                actor=actor,
                kind=data["kind"],
                files=data["documents"],
                issued_on=data["issued_on"],
                expires_on=data["expires_on"],
                note=data["note"],
            )
        except QuartierError as error:
            show_error(form, error)
        else:
            messages.success(
                request, gettext("Thank you. A person checks it, usually within two working days.")
            )
            return redirect("web:helper_vetting")
    profile = getattr(actor, "helper_profile", None)
    country = getattr(profile, "country", "CH")
    return render(
        request,
        "web/helper/vetting.html",
        {
            "form": form,
            "checks": [(c, AnswerForm(prefix=f"c{c.pk}")) for c in check_list_for(actor)],
            "needed": _needed(actor),
            "record_name": RECORD_NAMES.get(country, RECORD_NAMES["CH"]),
        },
    )


@require_POST
@helper_view
def vetting_answer(request: HttpRequest, check_id: int) -> HttpResponse:
    form = AnswerForm(request.POST, request.FILES, prefix=f"c{check_id}")
    if not form.is_valid():
        messages.error(request, gettext("Write your answer for the person who checks it."))
        return redirect("web:helper_vetting")
    try:
        check_answer(
            actor=actor_of(request),
            check_id=check_id,
            answer=form.cleaned_data["answer"],
            files=form.cleaned_data["documents"],
        )
    except QuartierError as error:
        if error.status == 404:
            raise
        messages.error(request, str(WORDS.get(error.code, FILE_WORDS)))
    else:
        messages.success(
            request, gettext("Thank you: your answer is sent and the document is checked again.")
        )
    return redirect("web:helper_vetting")
