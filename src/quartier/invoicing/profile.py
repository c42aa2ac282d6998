"""Is a helper's payout & tax profile complete enough to invoice in their name?

`payments.profiles.gaps_of` is the shared answer (what an invoice in the helper's name must
print, money-law §1, §8.1, and the current invoicing mandate); invoicing adds what the
customer pays into.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _
from stdnum import iban

from quartier.payments.models import PayoutProfile
from quartier.payments.profiles import gaps_of

GAP_LABELS = {
    "profile": _("a payout & tax profile"),
    "mandate": _("the signed invoicing mandate"),
    "legal_name": _("your legal name"),
    "address": _("your full address (street, house number, postcode, town, country)"),
    "iban": _("your IBAN and account holder"),
    "vat_status": _("your VAT status"),
    "uid": _("your MWST number (UID)"),
    "tax_number": _("your tax number or VAT ID"),
    "vat_dates": _("a VAT status valid on the job's date"),
    "unusable": _("details a payment slip accepts (ask support: we could not build it)"),
}


def profile_of(helper_id: int) -> PayoutProfile | None:
    return PayoutProfile.objects.filter(user_id=helper_id).first()


def invoicing_gaps(profile: PayoutProfile | None, *, on: date) -> list[str]:
    """Codes (keys of GAP_LABELS) of what is missing; empty when an invoice may be issued.

    The payments context's `gaps_of` (payments.profiles) decides completeness; invoicing adds
    that the IBAN must pass its check (the customer pays into it: the QR-bill, the EPC QR)
    and that the VAT status must already be valid on the job's date."""
    if profile is None:
        return ["profile"]
    gaps = gaps_of(profile, today=on)
    if "iban" not in gaps and not iban.is_valid(profile.iban):
        gaps.append("iban")
    starts = profile.vat_valid_from
    if profile.vat_status and starts and starts > on:
        gaps.append("vat_dates")
    return gaps
