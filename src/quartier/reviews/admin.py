from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from quartier.accounts.models import User

from .models import Review, ReviewReport, SkillRating, SkillScore, UserScore
from .services import review_report_resolve


class SkillRatingInline(admin.TabularInline[SkillRating, Review]):
    model = SkillRating
    extra = 0


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin[Review]):
    list_display = [
        "id",
        "booking",
        "author",
        "subject",
        "direction",
        "rating",
        "created_at",
        "published_at",
        "hidden_at",
    ]
    list_filter = ["direction", "rating"]
    search_fields = ["text", "author__email", "subject__email"]
    list_select_related = ["author", "subject"]
    raw_id_fields = ["booking", "author", "subject"]
    inlines = [SkillRatingInline]


@admin.register(ReviewReport)
class ReviewReportAdmin(admin.ModelAdmin[ReviewReport]):
    """Reported reviews, worked like reported messages."""

    list_display = ["id", "status", "reason", "review_text", "reporter", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["reason", "review__text", "reporter__email"]
    fields = readonly_fields = (
        "review",
        "review_text",
        "reporter",
        "reason",
        "status",
        "created_at",
        "resolved_at",
        "resolved_by",
    )
    actions = ["uphold", "dismiss"]
    list_select_related = ["review", "reporter"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="review")
    def review_text(self, report: ReviewReport) -> str:
        return f"{report.review.rating}★ {report.review.text[:200]}"

    def _resolve(
        self, request: HttpRequest, queryset: QuerySet[ReviewReport], uphold: bool
    ) -> None:
        assert isinstance(request.user, User)
        closed = 0
        for report in queryset.filter(status="open"):
            closed += review_report_resolve(actor=request.user, report_id=report.pk, uphold=uphold)
        self.message_user(request, f"{closed} report(s) closed.", messages.SUCCESS)

    @admin.action(description="Uphold: hide the reported reviews")
    def uphold(self, request: HttpRequest, queryset: QuerySet[ReviewReport]) -> None:
        self._resolve(request, queryset, uphold=True)

    @admin.action(description="Dismiss the reports")
    def dismiss(self, request: HttpRequest, queryset: QuerySet[ReviewReport]) -> None:
        self._resolve(request, queryset, uphold=False)


@admin.register(SkillScore)
class SkillScoreAdmin(admin.ModelAdmin[SkillScore]):
    list_display = ["helper", "skill", "rating_count", "rating_sum"]
    list_filter = ["skill"]
    search_fields = ["helper__email", "helper__full_name"]
    raw_id_fields = ["helper"]


@admin.register(UserScore)
class UserScoreAdmin(admin.ModelAdmin[UserScore]):
    list_display = ["user", "direction", "rating_count", "rating_sum"]
    list_filter = ["direction"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
