"""Partners: companies that route their customers' small jobs to qualified helpers.

A partner runs programs (a catalogue of fixed-price services, regions, an SLA and an
escalation target), qualifies helpers for them, creates cases by API (each case is a
`jobs.JobRequest` plus the partner's own data) and receives signed webhooks through an outbox.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .states import (
    DeliveryStatus,
    EscalationReason,
    NoteAuthor,
    PartnerRole,
    Payer,
    QualificationState,
)


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


class Program(models.Model):
    """A partner's support program: services, regions, SLA, qualification and escalation."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="programs")
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
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


class ProgramService(models.Model):
    """One fixed-price service of a program, e.g. "Set up a WLAN router"."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="services")
    code = models.SlugField(max_length=60, help_text="The partner's identifier in the API.")
    name = models.CharField(max_length=120)
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


class PartnerApiKey(models.Model):
    """A partner's API key. Only a SHA-256 of the secret is stored; it is shown once."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=16, help_text="First characters, to recognise a key.")
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.partner})"


class IdempotencyKey(models.Model):
    """A partner POST's `Idempotency-Key`: the first response is replayed for 24 h or more.

    The row is inserted (unique per partner and key) before the work runs, so a concurrent
    retry finds it and is told the original is still in progress.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the request body.")
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "key"], name="idempotency_key_once")
        ]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"


class Case(models.Model):
    """A partner case: the request helpers see, plus what only the partner knows."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="cases")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="cases")
    service = models.ForeignKey(ProgramService, on_delete=models.PROTECT, related_name="cases")
    request = models.OneToOneField(
        "jobs.JobRequest", on_delete=models.PROTECT, related_name="partner_case"
    )
    reference = models.CharField(max_length=100, help_text="The partner's own reference.")
    contact_name = models.CharField(max_length=150)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=32, blank=True)
    products = models.JSONField(
        default=list, blank=True, help_text="Installed products and diagnostics, for the helper."
    )
    first_offer_due_at = models.DateTimeField()
    completion_due_at = models.DateTimeField()
    first_offer_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_reason = models.CharField(
        max_length=10, choices=EscalationReason.choices, blank=True
    )
    created_by_key = models.ForeignKey(
        PartnerApiKey, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["partner", "-created_at", "-id"]),
            models.Index(fields=["partner", "reference"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(completion_due_at__gte=F("first_offer_due_at")),
                name="case_sla_ordered",
            ),
            models.CheckConstraint(
                condition=Q(escalated_at__isnull=True, escalation_reason="")
                | Q(escalated_at__isnull=False) & ~Q(escalation_reason=""),
                name="case_escalation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner.name} {self.reference} (#{self.request_id})"


class CaseNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    author_kind = models.CharField(max_length=10, choices=NoteAuthor.choices)
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.author_kind} on case {self.case_id}"


class EscalationPhoto(models.Model):
    """Photos a helper attaches when asking for a technician."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="partners/escalations/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.image.name)


class WebhookEndpoint(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="endpoints")
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=120, blank=True)
    # The Standard Webhooks signing secret ("whsec_" + base64). Needed in clear to sign.
    secret = models.CharField(max_length=100)
    events = models.JSONField(help_text="The event types delivered here.")
    is_enabled = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner", "id"]

    def __str__(self) -> str:
        return self.url


class WebhookMessage(models.Model):
    """The outbox: one row per event, written in the transaction that made the change."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="messages")
    msg_id = models.CharField(max_length=40, unique=True, help_text="webhook-id")
    event_type = models.CharField(max_length=30)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.msg_id}"


class WebhookDelivery(models.Model):
    """One message to one endpoint, retried with backoff until delivered or given up."""

    message = models.ForeignKey(WebhookMessage, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["message", "endpoint"], name="delivery_once"),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_status_known"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.message_id} -> {self.endpoint_id}: {self.status}"


class WebhookAttempt(models.Model):
    """What happened on one HTTP attempt, shown to the partner in the delivery log."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    attempted_at = models.DateTimeField(auto_now_add=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    manual = models.BooleanField(default=False, help_text="A redelivery asked for by hand.")

    class Meta:
        ordering = ["-attempted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.response_status or self.error}"
