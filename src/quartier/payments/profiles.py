"""The helper's payout & tax profile: validated and saved here; its gaps read here.

A helper may save the profile piece by piece (blank fields are allowed), but never a wrong
value: an IBAN with a bad checksum, a UID that fails its check digit, a VAT status of the
other country. What is still missing is reported by `profile_gaps` as stable codes; the
invoicing engineer asks `invoicing_ready` before issuing an invoice in the helper's name,
and payout runs ask `payout_ready` before paying a helper.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.ch import uid as ch_uid
from stdnum.de import stnr as de_stnr
from stdnum.de import vat as de_vat
from stdnum.exceptions import ValidationError as StdnumError

from quartier.accounts.models import User
from quartier.errors import Forbidden, InvalidInput

from .mandate import MANDATE_VERSION
from .models import PayoutProfile, ProviderKind, VatStatus

POSTCODE = {"CH": re.compile(r"^\d{4}$"), "DE": re.compile(r"^\d{5}$")}
MAX_LENGTH = {
    "legal_name": 140,
    "street": 70,
    "house_number": 16,
    "town": 35,
    "account_holder": 70,
}
TEXT_FIELDS = ["legal_name", "street", "house_number", "postcode", "town", "account_holder"]
#: Statuses that need a German tax number (Steuernummer or USt-IdNr).
NEEDS_DE_TAX_NUMBER = {VatStatus.DE_REGULAR, VatStatus.DE_SMALL}
#: Gaps that block invoices in the helper's name; payouts need the IBAN as well.
INVOICING_GAPS = {"legal_name", "address", "vat_status", "uid", "tax_number", "mandate"}


class _Errors:
    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}
        self.codes: dict[str, str] = {}

    def add(self, field: str, code: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)
        self.codes.setdefault(field, code)

    def raise_if_any(self) -> None:
        if self.errors:
            raise InvalidInput(
                "The payout profile has errors.",
                code="payout_profile_invalid",
                errors=self.errors,
                field_codes=self.codes,
            )


def payout_profile_for(user: User) -> PayoutProfile:
    """The user's profile (unsaved and empty when they have none yet)."""
    found = PayoutProfile.objects.filter(user=user).first()
    return found if found is not None else PayoutProfile(user=user)


def _text(data: Mapping[str, Any], name: str) -> str:
    return " ".join(str(data.get(name) or "").split())


def _iban(raw: str, country: str, errors: _Errors) -> str:
    if not raw:
        return ""
    try:
        iban = IBAN(raw)
    except (SchwiftyException, ValueError):
        errors.add("iban", "bad_iban", "This IBAN is not valid: check the digits.")
        return ""
    if country == "CH" and iban.country_code not in {"CH", "LI"}:
        errors.add("iban", "iban_not_chf", "Payouts in CHF need a Swiss or Liechtenstein IBAN.")
    elif country == "DE" and not iban.in_sepa_zone:
        errors.add("iban", "iban_not_sepa", "Payouts in EUR need an IBAN in the SEPA area.")
    return str(iban.compact)


def _tax_ids(data: Mapping[str, Any], errors: _Errors) -> tuple[str, str, str]:
    uid, tax_number, vat_id = (_text(data, n) for n in ("uid", "tax_number", "vat_id"))
    if uid:
        bare = re.sub(r"\s*(MWST|TVA|IVA)$", "", uid.upper()).strip()
        try:
            uid = str(ch_uid.format(ch_uid.validate(bare)))
        except StdnumError:
            errors.add("uid", "bad_ch_uid", "Use your Swiss UID, e.g. CHE-123.456.789.")
    if tax_number:
        try:
            tax_number = str(de_stnr.format(de_stnr.validate(tax_number)))
        except StdnumError:
            errors.add("tax_number", "bad_tax_number", "This Steuernummer is not valid.")
    if vat_id:
        try:
            vat_id = "DE" + str(de_vat.validate(vat_id))
        except StdnumError:
            errors.add("vat_id", "bad_vat_id", "Use your USt-IdNr, e.g. DE123456789.")
    return uid, tax_number, vat_id


def _dates(data: Mapping[str, Any], errors: _Errors) -> tuple[date | None, date | None]:
    parsed: list[date | None] = []
    for name in ("vat_valid_from", "vat_valid_until"):
        value = data.get(name)
        if isinstance(value, str) and value.strip():
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                errors.add(name, "bad_date", "Use a date like 2026-01-31.")
                value = None
        parsed.append(value if isinstance(value, date) else None)
    start, end = parsed
    if start and end and end < start:
        errors.add("vat_valid_until", "vat_validity_reversed", "The end is before the start.")
    return start, end


def _check_fields(data: Mapping[str, Any], errors: _Errors) -> dict[str, Any]:
    values: dict[str, Any] = {name: _text(data, name) for name in TEXT_FIELDS}
    for name, limit in MAX_LENGTH.items():
        if len(values[name]) > limit:
            errors.add(name, "too_long", f"At most {limit} characters.")
    kind = _text(data, "provider_kind") or ProviderKind.PRIVATE
    if kind not in ProviderKind.values:
        errors.add("provider_kind", "bad_provider_kind", "Choose private person or business.")
    country = _text(data, "country").upper()
    if country not in {"", "CH", "DE"}:
        errors.add("country", "unknown_country", "Choose Switzerland or Germany.")
        country = ""
    postcode = values["postcode"]
    if postcode and country and not POSTCODE[country].match(postcode):
        errors.add("postcode", "bad_postcode", "A Swiss postcode has 4 digits, a German one 5.")
    status = _text(data, "vat_status")
    if status and status not in VatStatus.values:
        errors.add("vat_status", "bad_vat_status", "Choose your VAT status from the list.")
    elif status and country and not status.startswith(country.lower() + "_"):
        errors.add("vat_status", "vat_status_country", "This VAT status is for the other country.")
    values.update(provider_kind=kind, country=country, vat_status=status)
    values["iban"] = _iban(_text(data, "iban").replace(" ", ""), country, errors)
    values["uid"], values["tax_number"], values["vat_id"] = _tax_ids(data, errors)
    values["vat_valid_from"], values["vat_valid_until"] = _dates(data, errors)
    return values


def payout_profile_save(*, actor: User, data: Mapping[str, Any]) -> PayoutProfile:
    """Validate and save the actor's payout & tax profile. `mandate_accepted` true signs the
    current mandate (recording when and which version); false keeps what was signed."""
    if not (actor.is_helper or actor.is_pro):
        raise Forbidden("Only helpers have a payout profile.", code="not_a_helper")
    errors = _Errors()
    values = _check_fields(data, errors)
    status = values["vat_status"]
    if status == VatStatus.CH_REGISTERED and not values["uid"] and "uid" not in errors.errors:
        errors.add("uid", "uid_required", "Registered for VAT: enter your UID (MWST number).")
    has_de_number = (
        values["tax_number"] or values["vat_id"] or {"tax_number", "vat_id"} & set(errors.errors)
    )
    if status in NEEDS_DE_TAX_NUMBER and not has_de_number:
        errors.add("tax_number", "tax_number_required", "Enter your Steuernummer or your USt-IdNr.")
    errors.raise_if_any()
    with transaction.atomic():
        profile = payout_profile_for(actor)
        if profile.pk is not None:
            profile = PayoutProfile.objects.select_for_update().get(pk=profile.pk)
        for name, value in values.items():
            setattr(profile, name, value)
        if data.get("mandate_accepted") is True and not _mandate_current(profile):
            profile.mandate_signed_at = timezone.now()
            profile.mandate_version = MANDATE_VERSION
        profile.save()
    return profile


def _mandate_current(profile: PayoutProfile) -> bool:
    return profile.mandate_signed_at is not None and profile.mandate_version == MANDATE_VERSION


def gaps_of(profile: PayoutProfile, *, today: date | None = None) -> list[str]:
    """What is missing from `profile`, as stable codes, in the order a form asks for them."""
    today = today or timezone.localdate()
    gaps: list[str] = []
    if not profile.legal_name:
        gaps.append("legal_name")
    address = (profile.street, profile.house_number, profile.postcode, profile.town)
    if not all(address) or profile.country not in {"CH", "DE"}:
        gaps.append("address")
    if not profile.iban or not profile.account_holder:
        gaps.append("iban")
    status = profile.vat_status
    lapsed = profile.vat_valid_until is not None and profile.vat_valid_until < today
    if not status or lapsed:
        gaps.append("vat_status")
    if status == VatStatus.CH_REGISTERED and not profile.uid:
        gaps.append("uid")
    if status in NEEDS_DE_TAX_NUMBER and not (profile.tax_number or profile.vat_id):
        gaps.append("tax_number")
    if not _mandate_current(profile):
        gaps.append("mandate")
    return gaps


def profile_gaps(user_id: int) -> list[str]:
    """What the helper still has to give (codes: legal_name, address, iban, vat_status, uid,
    tax_number, mandate); empty when the profile is complete."""
    profile = PayoutProfile.objects.filter(user_id=user_id).first()
    return gaps_of(profile if profile is not None else PayoutProfile(user_id=user_id))


def invoicing_ready(user_id: int) -> bool:
    """May Quartier issue invoices in this helper's name (the IBAN is not needed for that)?"""
    return not INVOICING_GAPS.intersection(profile_gaps(user_id))


def payout_ready(user_id: int) -> bool:
    """May Quartier pay this helper out (everything given, mandate signed)?"""
    return not profile_gaps(user_id)
