from django.contrib import admin

from .models import HelperSkill, Skill, SkillCategory


@admin.register(SkillCategory)
class SkillCategoryAdmin(admin.ModelAdmin[SkillCategory]):
    list_display = ["slug", "name_en", "name_de", "position"]
    list_editable = ["position"]
    search_fields = ["slug", "name_en", "name_de"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin[Skill]):
    list_display = [
        "slug",
        "name_en",
        "name_de",
        "category",
        "is_active",
        "household_related",
        "craftsman",
        "property_related",
        "position",
    ]
    list_filter = ["category", "is_active", "household_related", "craftsman", "property_related"]
    search_fields = ["slug", "name_en", "name_de"]


@admin.register(HelperSkill)
class HelperSkillAdmin(admin.ModelAdmin[HelperSkill]):
    list_display = ["helper", "skill", "level", "created_at"]
    list_filter = ["skill__category", "skill", "level"]
    search_fields = ["helper__email", "helper__full_name"]
    list_select_related = ["helper", "skill"]
    raw_id_fields = ["helper"]
