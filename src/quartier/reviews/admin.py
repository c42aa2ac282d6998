from django.contrib import admin

from .models import Review, SkillRating, SkillScore, UserScore


class SkillRatingInline(admin.TabularInline[SkillRating, Review]):
    model = SkillRating
    extra = 0


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin[Review]):
    list_display = ["id", "booking", "author", "subject", "direction", "rating", "created_at"]
    list_filter = ["direction", "rating"]
    search_fields = ["text", "author__email", "subject__email"]
    list_select_related = ["author", "subject"]
    raw_id_fields = ["booking", "author", "subject"]
    inlines = [SkillRatingInline]


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
