"""What compliance keeps: the § 14 PStTG data beyond the payout profile, each seller's
standing in the DAC7 duties (notice, reminders), and the threshold alerts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TaxReportingProfile(models.Model):
    """The seller's data for the platform tax report that the payout profile does not hold.

    `tins` is a list of {"tin": ..., "country": ...} (every TIN with its issuing state);
    without any TIN the place of birth stands in (§ 14 Abs. 2 Nr. 2 PStTG)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tax_reporting_profile"
    )
    is_entity = models.BooleanField(
        default=False, help_text="A company or other legal entity (not a natural person)."
    )
    date_of_birth = models.DateField(null=True, blank=True)
    birth_town = models.CharField(max_length=100, blank=True)
    birth_country = models.CharField(max_length=2, blank=True)
    tins = models.JSONField(default=list, blank=True)
    residence_countries = models.JSONField(
        default=list, blank=True, help_text="ISO codes of the states the seller resides in."
    )
    register_number = models.CharField(
        max_length=80, blank=True, help_text="Business register number (entities)."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Tax reporting data of user #{self.user_id}"


class Dac7Standing(models.Model):
    """Where a seller stands in the DAC7 duties: the general notice (§ 22) and the reminders
    sent while data was missing (reset when it is complete)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dac7_standing"
    )
    notice_sent_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminder_at = models.DateTimeField(null=True, blank=True)
    complete_since = models.DateTimeField(null=True, blank=True)
    missing = models.JSONField(default=list, blank=True, help_text="Gap codes at the last check.")
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "DAC7 standing"

    def __str__(self) -> str:
        return f"DAC7 standing of user #{self.user_id}"


class ThresholdCode(models.TextChoices):
    DE_25K_PRIOR = "de_25k_prior", _("DE: prior year over EUR 25,000 (no Kleinunternehmer)")
    DE_25K_CURRENT = "de_25k_current", _("DE: this year over EUR 25,000 (none next year)")
    DE_100K_AHEAD = "de_100k_ahead", _("DE: a booking will take this year over EUR 100,000")
    DE_100K_CROSSED = "de_100k_crossed", _("DE: this year over EUR 100,000 (regular VAT now)")
    CH_VAT_100K = "ch_vat_100k", _("CH: turnover over CHF 100,000 (VAT registration)")
    CH_AHV_2500 = "ch_ahv_2500", _("CH: net side income over CHF 2,500 (AHV)")


class ThresholdAlert(models.Model):
    """A helper was told a VAT or AHV limit came near or was crossed (once per code and
    year); the helper confirms or changes their VAT status in answer."""

    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="threshold_alerts"
    )
    code = models.CharField(max_length=20, choices=ThresholdCode.choices)
    year = models.PositiveSmallIntegerField()
    currency = models.CharField(max_length=3)
    limit_minor = models.BigIntegerField()
    turnover_minor = models.BigIntegerField(help_text="What the limit was measured against.")
    booking_id = models.PositiveBigIntegerField(null=True, blank=True)
    raised_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_vat_status = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["helper", "code", "year"], name="threshold_once"),
            models.CheckConstraint(
                condition=Q(code__in=ThresholdCode.values), name="threshold_code_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.year} for user #{self.helper_id}"
