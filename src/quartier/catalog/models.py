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
    """A skill a helper offers, at a self-declared level, optionally at its own prices: an
    hourly rate (else the profile's applies) and a fixed price for a standard job of that
    skill, which customers can book at once ("Book now")."""

    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helper_skills"
    )
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="helper_skills")
    level = models.CharField(max_length=12, choices=SkillLevel.choices)
    hourly_rate_minor = models.PositiveIntegerField(
        null=True, blank=True, help_text="This skill's hourly rate (empty: the profile's)."
    )
    fixed_price_minor = models.PositiveIntegerField(
        null=True, blank=True, help_text="A fixed price for a standard job of this skill."
    )
    fixed_duration_minutes = models.PositiveSmallIntegerField(
        default=120, help_text="How long the standard fixed-price job takes."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["helper", "skill"], name="helper_skill_once"),
            models.CheckConstraint(
                condition=Q(level__in=SkillLevel.values), name="helper_skill_level_known"
            ),
            models.CheckConstraint(
                condition=Q(hourly_rate_minor__isnull=True) | Q(hourly_rate_minor__gt=0),
                name="helper_skill_rate_positive",
            ),
            models.CheckConstraint(
                condition=Q(fixed_price_minor__isnull=True) | Q(fixed_price_minor__gt=0),
                name="helper_skill_fixed_price_positive",
            ),
            models.CheckConstraint(
                condition=Q(fixed_duration_minutes__gte=30, fixed_duration_minutes__lte=720),
                name="helper_skill_fixed_duration_in_range",
            ),
        ]
        indexes = [models.Index(fields=["skill", "helper"])]

    def __str__(self) -> str:
        return f"{self.helper_id}: {self.skill_id} ({self.level})"
