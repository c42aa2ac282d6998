"""Back office for partners and their programs (services, regions, lessons and quizzes) and
for helpers' qualifications (approve / revoke through the qualification services)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from quartier.back_office import ReadOnlyInline

from ..models import (
    Lesson,
    Partner,
    PartnerMember,
    Program,
    ProgramRegion,
    ProgramService,
    Qualification,
    QualificationEvent,
    QuizAttempt,
    QuizQuestion,
)
from ..programs.dependency import DEPENDENCY_MIN_JOBS, DEPENDENCY_SHARE, program_dependencies
from ..programs.services import qualification_approve, qualification_revoke
from .base import ReadOnlyAdmin, for_each_selected, staff_user

# --- partners and programs --------------------------------------------------------------------


class MemberInline(admin.TabularInline[PartnerMember, Partner]):
    model = PartnerMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin[Partner]):
    list_display = ["name", "slug", "contact_email", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug", "contact_email"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MemberInline]


class ServiceInline(admin.TabularInline[ProgramService, Program]):
    model = ProgramService
    extra = 0
    fields = [
        "code",
        "name",
        "name_de",
        "skill",
        "fixed_price_minor",
        "duration_minutes",
        "payer",
        "partner_share_percent",
        "is_active",
    ]


class RegionInline(admin.TabularInline[ProgramRegion, Program]):
    model = ProgramRegion
    extra = 0


class LessonInline(admin.TabularInline[Lesson, Program]):
    model = Lesson
    extra = 0
    fields = ["position", "title", "pass_mark_percent"]
    show_change_link = True


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin[Program]):
    list_display = [
        "name",
        "partner",
        "slug",
        "is_active",
        "sla_first_offer_minutes",
        "sla_completion_hours",
        "min_skill_score",
        "min_completed_jobs",
    ]
    list_filter = ["is_active", "partner", "currency"]
    search_fields = ["name", "slug", "partner__name"]
    list_select_related = ["partner"]
    inlines = [ServiceInline, RegionInline, LessonInline]

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.dependency_view)
        mine = [path("dependency/", view, name="partners_program_dependency")]
        return mine + super().get_urls()

    def dependency_view(self, request: HttpRequest) -> TemplateResponse:
        """Helpers who earn most of their income from one program (misclassification risk)."""
        context = {
            **self.admin_site.each_context(request),
            "title": "Helpers depending on one partner program",
            "rows": program_dependencies(),
            "share": DEPENDENCY_SHARE,
            "min_jobs": DEPENDENCY_MIN_JOBS,
        }
        return TemplateResponse(request, "admin/partners/dependency.html", context)


class QuestionInline(admin.StackedInline[QuizQuestion, Lesson]):
    model = QuizQuestion
    extra = 0


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin[Lesson]):
    list_display = ["title", "program", "position", "pass_mark_percent"]
    list_filter = ["program__partner", "program"]
    search_fields = ["title", "program__name"]
    inlines = [QuestionInline]


# --- qualifications ---------------------------------------------------------------------------


class QualificationEventInline(ReadOnlyInline):
    model = QualificationEvent
    fields = readonly_fields = ("from_state", "to_state", "actor", "note", "created_at")


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin[Qualification]):
    list_display = ["helper", "program", "state", "training_passed_at", "decided_by", "updated_at"]
    list_filter = [
        "state",
        "program__partner",
        "program",
        ("training_passed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["helper__email", "helper__full_name", "program__name"]
    list_select_related = ["helper", "program"]
    raw_id_fields = ["helper", "decided_by"]
    readonly_fields = ["state", "training_passed_at", "decided_by", "created_at", "updated_at"]
    inlines = [QualificationEventInline]
    actions = ["approve_selected", "revoke_selected"]

    def _decide(
        self,
        request: HttpRequest,
        queryset: QuerySet[Qualification],
        service: Callable[..., Qualification],
    ) -> None:
        actor = staff_user(request)
        for_each_selected(
            self,
            request,
            queryset,
            lambda q: service(actor=actor, qualification_id=q.pk),
            "qualification(s) updated",
        )

    @admin.action(description="Approve the selected qualifications")
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Qualification]) -> None:
        self._decide(request, queryset, qualification_approve)

    @admin.action(description="Revoke the selected qualifications")
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[Qualification]) -> None:
        self._decide(request, queryset, qualification_revoke)


@admin.register(QuizAttempt)
class QuizAttemptAdmin(ReadOnlyAdmin):
    list_display = ["qualification", "lesson", "score_percent", "passed", "created_at"]
    list_filter = ["passed", "lesson__program"]
    search_fields = ["qualification__helper__email"]
