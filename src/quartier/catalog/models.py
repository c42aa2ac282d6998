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
    """A skill jobs are matched and rated on. Its flags say what the law makes of such work
    (German § 35a EStG relief, the invoice duties of work on a property)."""

    category = models.ForeignKey(SkillCategory, on_delete=models.PROTECT, related_name="skills")
    is_active = models.BooleanField(default=True)
    household_related = models.BooleanField(
        default=False, help_text="Household-related service (§ 35a Abs. 2 EStG), e.g. cleaning."
    )
    craftsman = models.BooleanField(
        default=False, help_text="Craftsman's work (§ 35a Abs. 3 EStG), e.g. assembly, repairs."
    )
    property_related = models.BooleanField(
        default=False, help_text="The work is done on the customer's home or property."
    )

    @property
    def flags(self) -> list[str]:
        """The set flags as the `job.settled` event names them: household, craftsman, property."""
        named = (
            ("household", self.household_related),
            ("craftsman", self.craftsman),
            ("property", self.property_related),
        )
        return [name for name, is_set in named if is_set]


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
