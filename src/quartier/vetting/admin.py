"""The operators' vetting queue: checks waiting for review first; each opens with its
documents (served by `document_view`, to operators only) and a form to approve, or reject
with a reason the helper reads. Which skills need which checks is maintained here too."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from quartier.accounts.models import User
from quartier.back_office import ReadOnlyAdmin
from quartier.errors import QuartierError

from .models import CheckStatus, SkillRequirement, VettingCheck, VettingDocument
from .services import check_approve, check_reject, requirement_set


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("reject", "Reject")], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required to reject: the helper reads it and may answer.",
    )


def _operator(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _is_operator(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.has_perm("vetting.view_vettingcheck"))


def document_view(request: HttpRequest, document_id: int) -> HttpResponse:
    """A vetting document: operators only. Everyone else (the helper who uploaded it
    included) gets 404, so nothing confirms it exists."""
    if not _is_operator(request):
        raise Http404
    document = VettingDocument.objects.filter(pk=document_id).first()
    if document is None:
        raise Http404
    try:
        with document.file.open("rb") as handle:  # at most 10 MB (uploads.DOCUMENTS)
            content = handle.read()
    except OSError:
        raise Http404 from None
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class DocumentInline(admin.TabularInline[VettingDocument, VettingCheck]):
    model = VettingDocument
    extra = 0
    can_delete = False
    fields = readonly_fields = ("link", "content_type", "size", "uploaded_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="document")
    def link(self, document: VettingDocument) -> str:
        url = reverse("admin:vetting_document", args=[document.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, document.name)


@admin.register(VettingCheck)
class VettingCheckAdmin(ReadOnlyAdmin):
    list_display = ("helper", "kind", "status", "issued_on", "expires_on", "submitted_at")
    list_filter = ["status", "kind", "expires_on"]
    search_fields = ["helper__email", "helper__full_name"]
    list_select_related = ["helper"]
    fields = readonly_fields = (
        "helper",
        "kind",
        "status",
        "issued_on",
        "expires_on",
        "note",
        "submitted_at",
        "answer",
        "answered_at",
        "decided_at",
        "decided_by",
        "reason",
        "reminded_at",
        "expired_at",
        "documents_deleted_at",
    )
    inlines = [DocumentInline]
    change_form_template = "admin/vetting/vettingcheck/change_form.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[VettingCheck]:
        # The queue: waiting checks first, oldest first among them.
        waiting = Case(
            When(status=CheckStatus.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return super().get_queryset(request).order_by(waiting, "submitted_at")

    def get_urls(self) -> list[URLPattern]:
        decide = self.admin_site.admin_view(self.decide_view)
        return [
            path("<int:check_id>/decide/", decide, name="vetting_decide"),
            # Not admin_view: anyone but an operator gets 404, not a log-in page.
            path("document/<int:document_id>/", document_view, name="vetting_document"),
            *super().get_urls(),
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        extra = {**(extra_context or {}), "decision_form": DecisionForm()}
        return super().change_view(request, object_id, form_url, extra)

    def decide_view(self, request: HttpRequest, check_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        back = reverse("admin:vetting_vettingcheck_change", args=[check_id])
        form = DecisionForm(request.POST or None)
        if request.method != "POST" or not form.is_valid():
            return HttpResponseRedirect(back)
        reason = form.cleaned_data["reason"]
        try:
            if form.cleaned_data["decision"] == "approve":
                check_approve(actor=_operator(request), check_id=check_id, reason=reason)
            else:
                check_reject(actor=_operator(request), check_id=check_id, reason=reason)
        except QuartierError as error:
            self.message_user(request, str(error.detail), messages.ERROR)
            return HttpResponseRedirect(back)
        self.message_user(request, "Decision saved; the helper is told.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:vetting_vettingcheck_changelist"))


class RequirementForm(forms.ModelForm[SkillRequirement]):
    reason = forms.CharField(required=False, help_text="Why (kept in the operator audit).")

    class Meta:
        model = SkillRequirement
        fields = ["skill", "kind"]


@admin.register(SkillRequirement)
class SkillRequirementAdmin(admin.ModelAdmin[SkillRequirement]):
    """Which skills need which checks. Adding or removing one re-matches every helper with
    the skill at once (through the service, which records it in the operator audit)."""

    form = RequirementForm
    list_display = ["skill", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["skill__name_en", "skill__name_de", "skill__slug"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(
        self, request: HttpRequest, obj: SkillRequirement, form: Any, change: bool
    ) -> None:
        requirement_set(
            actor=_operator(request),
            skill=obj.skill,
            kind=obj.kind,
            required=True,
            reason=form.cleaned_data.get("reason", ""),
        )
        saved = SkillRequirement.objects.get(skill=obj.skill, kind=obj.kind)
        obj.pk, obj.created_at = saved.pk, saved.created_at

    def delete_model(self, request: HttpRequest, obj: SkillRequirement) -> None:
        requirement_set(actor=_operator(request), skill=obj.skill, kind=obj.kind, required=False)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[SkillRequirement]) -> None:
        for obj in queryset.select_related("skill"):
            self.delete_model(request, obj)
