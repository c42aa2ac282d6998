"""Partners, their members and programs (services, regions, lessons and quizzes), and
helpers' qualifications for a program."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language

from quartier.money import Money

from ..states import PartnerRole, Payer, QualificationState


class Partner(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True, help_text="Used in /p/<slug>/.")
    contact_email = models.EmailField(help_text="Where operational notices go.")
    logo = models.FileField(upload_to="partners/logos/", blank=True)
    brand_color = models.CharField(max_length=7, default="#1f5f8b", help_text="#rrggbb")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(brand_color__regex=r"^#[0-9a-fA-F]{6}$"), name="partner_color_hex"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PartnerMember(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_memberships"
    )
    role = models.CharField(max_length=10, choices=PartnerRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "user"], name="partner_member_once"),
            models.CheckConstraint(
                condition=Q(role__in=PartnerRole.values), name="partner_member_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.partner} ({self.role})"


def localized(english: str, german: str, language: str | None = None) -> str:
    """A partner's own words in `language` (default: the active one): German where given
    for every de-* variant, else English."""
    return german if german and (language or get_language() or "en").startswith("de") else english


class Program(models.Model):
    """A partner's support program: services, regions, SLA, qualification and escalation."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="programs")
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=120, help_text="The name in English.")
    name_de = models.CharField(
        max_length=120, blank=True, help_text="The name in German (empty: the English one)."
    )
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    # SLA: an offer/acceptance within this time, the job done within that.
    sla_first_offer_minutes = models.PositiveIntegerField(default=240)
    sla_completion_hours = models.PositiveIntegerField(default=72)
    # Where cases go when the crowd cannot help.
    escalation_email = models.EmailField()
    escalation_note = models.CharField(
        max_length=200, blank=True, help_text="E.g. the technician team or queue name."
    )
    # What a technician visit costs the partner (for the "cost avoided" report).
    technician_cost_minor = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=3, default="CHF")
    # What a visit the helper could not fix earns them (0: nothing), paid like the service's
    # price (partner / customer / split) and never more than it.
    visit_fee_minor = models.PositiveIntegerField(
        default=0, help_text="Paid for a visit that could not fix it; 0 = no visit fee."
    )
    # Qualification: per required skill, at least this Bayesian score and this many jobs.
    min_skill_score = models.DecimalField(max_digits=3, decimal_places=2, default=4)
    min_completed_jobs = models.PositiveIntegerField(default=3)
    # Triage: a service whose crowd resolution rate is below this goes to technicians.
    triage_min_resolution_rate = models.DecimalField(
        max_digits=3, decimal_places=2, null=True, blank=True, help_text="0..1; empty = off"
    )
    triage_min_cases = models.PositiveIntegerField(
        default=20, help_text="Cases of a service needed before its rate is trusted."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "slug"], name="program_slug_per_partner"),
            models.CheckConstraint(
                condition=Q(min_skill_score__gte=1, min_skill_score__lte=5),
                name="program_min_score_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(triage_min_resolution_rate__isnull=True)
                | Q(triage_min_resolution_rate__gte=0, triage_min_resolution_rate__lte=1),
                name="program_triage_rate_0_to_1",
            ),
            models.CheckConstraint(
                condition=Q(sla_first_offer_minutes__gt=0, sla_completion_hours__gt=0),
                name="program_sla_positive",
            ),
            models.CheckConstraint(
                condition=Q(currency__in=["CHF", "EUR"]), name="program_currency_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner.name}: {self.name}"

    @property
    def label(self) -> str:
        """The name in the active language (German for every de-* variant)."""
        return localized(self.name, self.name_de)

    def label_in(self, language: str) -> str:
        return localized(self.name, self.name_de, language)


class ProgramService(models.Model):
    """One fixed-price service of a program, e.g. "Set up a WLAN router"."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="services")
    code = models.SlugField(max_length=60, help_text="The partner's identifier in the API.")
    name = models.CharField(max_length=120, help_text="The name in English.")
    name_de = models.CharField(
        max_length=120, blank=True, help_text="The name in German (empty: the English one)."
    )
    description = models.TextField(blank=True)
    skill = models.ForeignKey(
        "catalog.Skill",
        on_delete=models.PROTECT,
        related_name="program_services",
        help_text="The skill the job is matched and rated on.",
    )
    fixed_price_minor = models.PositiveIntegerField()
    duration_minutes = models.PositiveSmallIntegerField(default=90)
    payer = models.CharField(max_length=10, choices=Payer.choices, default=Payer.PARTNER)
    partner_share_percent = models.PositiveSmallIntegerField(
        default=100, help_text="The partner's share of the price (split: 1..99)."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["program", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="service_code_per_program"),
            models.CheckConstraint(
                condition=Q(fixed_price_minor__gt=0), name="service_price_positive"
            ),
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="service_duration"),
            models.CheckConstraint(
                condition=(
                    Q(payer=Payer.CUSTOMER, partner_share_percent=0)
                    | Q(payer=Payer.PARTNER, partner_share_percent=100)
                    | Q(
                        payer=Payer.SPLIT,
                        partner_share_percent__gt=0,
                        partner_share_percent__lt=100,
                    )
                ),
                name="service_payer_share_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program}: {self.name}"

    @property
    def label(self) -> str:
        """The name in the active language (German for every de-* variant)."""
        return localized(self.name, self.name_de)

    def label_in(self, language: str) -> str:
        return localized(self.name, self.name_de, language)

    @property
    def partner_share_minor(self) -> int:
        """The part of the fixed price the partner pays: all, nothing, or its percent of a
        split (rounded half up); the customer pays the rest."""
        if self.payer == Payer.PARTNER:
            return self.fixed_price_minor
        if self.payer == Payer.CUSTOMER:
            return 0
        price = Money(self.fixed_price_minor, self.program.currency)
        return price.percent(Decimal(self.partner_share_percent)).minor

    @property
    def customer_share_minor(self) -> int:
        return self.fixed_price_minor - self.partner_share_minor


class ProgramRegion(models.Model):
    """Where a program serves: a whole country, a canton / Land, or a postcode prefix."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="regions")
    country = models.CharField(max_length=2)
    region = models.CharField(max_length=10, blank=True, help_text="Canton / Land code.")
    postcode_prefix = models.CharField(max_length=10, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(country__in=["CH", "DE"]), name="program_region_country"
            )
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.region or ''}{self.postcode_prefix or ''}".strip()


class Lesson(models.Model):
    """Partner training: a short lesson with a quiz, passed before the first case."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=120)
    body = models.TextField()
    pass_mark_percent = models.PositiveSmallIntegerField(default=80)

    class Meta:
        ordering = ["program", "position", "id"]

    def __str__(self) -> str:
        return self.title


class QuizQuestion(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=1)
    prompt = models.CharField(max_length=300)
    choices = models.JSONField(help_text="A list of answer texts.")
    correct_choice = models.PositiveSmallIntegerField(help_text="Index into choices, from 0.")

    class Meta:
        ordering = ["lesson", "position", "id"]

    def __str__(self) -> str:
        return self.prompt


class Qualification(models.Model):
    """A helper's standing in one program (see states.py for the machine)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="qualifications")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="qualifications"
    )
    state = models.CharField(
        max_length=10, choices=QualificationState.choices, default=QualificationState.APPLIED
    )
    training_passed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "helper"], name="qualification_once"),
            models.CheckConstraint(
                condition=Q(state__in=QualificationState.values), name="qualification_state_known"
            ),
        ]
        indexes = [models.Index(fields=["program", "state"])]

    def __str__(self) -> str:
        return f"{self.helper} in {self.program}: {self.state}"


class QualificationEvent(models.Model):
    """Append-only trail of a qualification's states and quiz results."""

    qualification = models.ForeignKey(
        Qualification, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.qualification_id}: {self.from_state or '∅'} -> {self.to_state}"


class QuizAttempt(models.Model):
    qualification = models.ForeignKey(
        Qualification, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="attempts")
    answers = models.JSONField()
    score_percent = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.lesson_id}: {self.score_percent}%"
