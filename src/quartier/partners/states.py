"""The partners context's vocabularies and its one state machine (program qualification).

A helper's qualification for a program: `applied` (eligibility and training pending) ->
`qualified` (approved by the partner or an operator, training passed) -> `suspended`
(automatically, when a required skill score falls below the program's threshold) ->
`qualified` again, automatically, when the figures recover (the training still counts).
`revoked` by the partner or an operator at any time; a revoked helper may apply again and
needs a new approval.
"""

from __future__ import annotations

from django.db import models


class PartnerRole(models.TextChoices):
    ADMIN = "admin", "Admin (cases, keys, webhooks, programs)"
    ANALYST = "analyst", "Analyst (cases and reports, read only)"


class Payer(models.TextChoices):
    CUSTOMER = "customer", "The customer pays"
    PARTNER = "partner", "The partner pays"
    SPLIT = "split", "Split between partner and customer"


class QualificationState(models.TextChoices):
    APPLIED = "applied", "Applied"
    QUALIFIED = "qualified", "Qualified"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"


QUALIFICATION_TRANSITIONS: dict[QualificationState, frozenset[QualificationState]] = {
    QualificationState.APPLIED: frozenset(
        {QualificationState.QUALIFIED, QualificationState.REVOKED}
    ),
    QualificationState.QUALIFIED: frozenset(
        {QualificationState.SUSPENDED, QualificationState.REVOKED}
    ),
    QualificationState.SUSPENDED: frozenset(
        {QualificationState.APPLIED, QualificationState.QUALIFIED, QualificationState.REVOKED}
    ),
    QualificationState.REVOKED: frozenset({QualificationState.APPLIED}),
}


def qualification_can_move(
    source: QualificationState | str, target: QualificationState | str
) -> bool:
    return QualificationState(target) in QUALIFICATION_TRANSITIONS[QualificationState(source)]


class EscalationReason(models.TextChoices):
    HELPER = "helper", "The helper asked for a technician"
    SLA = "sla", "The SLA was breached"
    TRIAGE = "triage", "Sent straight to technicians (low crowd resolution rate)"
    PARTNER = "partner", "Taken back by the partner"


class NoteAuthor(models.TextChoices):
    PARTNER = "partner", "Partner"
    HELPER = "helper", "Helper"
    OPERATOR = "operator", "Operator"
    SYSTEM = "system", "System"


class WebhookEvent(models.TextChoices):
    """The events a partner endpoint can subscribe to (Standard Webhooks `type`)."""

    CASE_CREATED = "case.created", "case.created"
    CASE_MATCHED = "case.matched", "case.matched"
    CASE_BOOKED = "case.booked", "case.booked"
    CASE_STARTED = "case.started", "case.started"
    CASE_CHECKED_OUT = "case.checked_out", "case.checked_out"
    # The helper checked out without a fix: the case escalates next (case.escalated).
    CASE_NOT_FIXED = "case.not_fixed", "case.not_fixed"
    CASE_COMPLETED = "case.completed", "case.completed"
    CASE_ESCALATED = "case.escalated", "case.escalated"
    CASE_CANCELLED = "case.cancelled", "case.cancelled"
    # The booked helper cancelled: the case is dispatched again (never case.cancelled).
    CASE_REDISPATCHED = "case.redispatched", "case.redispatched"
    CASE_RATED = "case.rated", "case.rated"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending (retrying)"
    SUCCEEDED = "succeeded", "Delivered"
    FAILED = "failed", "Failed (retries exhausted or endpoint disabled)"
