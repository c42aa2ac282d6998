"""Is a helper's payout & tax profile complete enough to invoice in their name?

`payments.profiles.profile_gaps` is the shared answer once it is on main; until then this is
the invoicing view of it: what an invoice in the helper's name must print (money-law §1,
§8.1) and what the customer pays into.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _
from stdnum import iban

from quartier.payments.models import PayoutProfile, VatStatus

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

_TAX_ID_NEEDED = {VatStatus.DE_REGULAR, VatStatus.DE_SMALL}


def profile_of(helper_id: int) -> PayoutProfile | None:
    return PayoutProfile.objects.filter(user_id=helper_id).first()


def invoicing_gaps(profile: PayoutProfile | None, *, on: date) -> list[str]:
    """Codes (keys of GAP_LABELS) of what is missing; empty when an invoice may be issued."""
    if profile is None:
        return ["profile"]
    gaps = []
    if profile.mandate_signed_at is None:
        gaps.append("mandate")
    if not profile.legal_name.strip():
        gaps.append("legal_name")
    address = (profile.street, profile.house_number, profile.postcode, profile.town)
    if not all(part.strip() for part in address) or profile.country not in ("CH", "DE"):
        gaps.append("address")
    if not iban.is_valid(profile.iban) or not profile.account_holder.strip():
        gaps.append("iban")
    if not profile.vat_status:
        gaps.append("vat_status")
    elif profile.vat_status == VatStatus.CH_REGISTERED and not profile.uid:
        gaps.append("uid")
    elif profile.vat_status in _TAX_ID_NEEDED and not (profile.tax_number or profile.vat_id):
        gaps.append("tax_number")
    starts, ends = profile.vat_valid_from, profile.vat_valid_until
    if profile.vat_status and ((starts and starts > on) or (ends and ends < on)):
        gaps.append("vat_dates")
    return gaps
