"""The skill taxonomy (bilingual) and the skills each helper declares."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualName(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name_en = models.CharField(max_length=100)
    name_de = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (German for every de-* variant)."""
        return self.name_de if (get_language() or "en").startswith("de") else self.name_en


class SkillCategory(BilingualName):
    class Meta(BilingualName.Meta):
        verbose_name_plural = "skill categories"


class Skill(BilingualName):
    category = models.ForeignKey(SkillCategory, on_delete=models.PROTECT, related_name="skills")
    is_active = models.BooleanField(default=True)


class SkillLevel(models.TextChoices):
    BASIC = "basic", _("Basic")
    EXPERIENCED = "experienced", _("Experienced")
    EXPERT = "expert", _("Expert")


class HelperSkill(models.Model):
    """A skill a helper offers, at a self-declared level."""

    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helper_skills"
    )
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="helper_skills")
    level = models.CharField(max_length=12, choices=SkillLevel.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["helper", "skill"], name="helper_skill_once"),
            models.CheckConstraint(
                condition=Q(level__in=SkillLevel.values), name="helper_skill_level_known"
            ),
        ]
        indexes = [models.Index(fields=["skill", "helper"])]

    def __str__(self) -> str:
        return f"{self.helper_id}: {self.skill_id} ({self.level})"
