"""The seller's § 14 PStTG data: who is reportable, what is still missing, and saving it.

Name, residential address, IBAN with its holder and the VAT ID come from the payout & tax
profile (payments); date and place of birth, every TIN with its issuing state, the member
states of residence and an entity's register number are kept in `TaxReportingProfile`.
Residence is what the seller declared; without a declaration, the payout profile's country,
else the helper profile's. Only a seller resident in an EU member state is reportable.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from stdnum.de import idnr as de_idnr
from stdnum.de import stnr as de_stnr
from stdnum.exceptions import ValidationError as StdnumError

from quartier.accounts.models import HelperProfile, User
from quartier.errors import Forbidden, InvalidInput
from quartier.payments.models import PayoutProfile
from quartier.payments.profiles import payout_profile_for

from .models import TaxReportingProfile

#: EU member states (ISO 3166 codes; Greece is GR here, EL in VAT numbers).
EU_STATES = frozenset(
    {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"}
    | {"IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}
)
#: States a seller may declare residence in: the EU, Switzerland and Liechtenstein.
RESIDENCE_STATES = EU_STATES | {"CH", "LI"}
MAX_TINS = 4
_TIN = re.compile(r"^[A-Z0-9][A-Z0-9./ -]{3,23}$")
_REGISTER = re.compile(r"^[\w .,/()-]{3,80}$")


@dataclass(frozen=True, slots=True)
class SellerData:
    user: User
    payout: PayoutProfile
    tax: TaxReportingProfile

    @property
    def residence(self) -> list[str]:
        declared = [c for c in self.tax.residence_countries if isinstance(c, str)]
        if declared:
            return declared
        if self.payout.country:
            return [self.payout.country]
        helper = HelperProfile.objects.filter(user=self.user).values_list("country", flat=True)
        return [c for c in helper[:1] if c]

    @property
    def reportable(self) -> bool:
        """Resident in an EU member state (Swiss residents never are)."""
        return bool(EU_STATES.intersection(self.residence))


def seller_data(user: User) -> SellerData:
    tax = TaxReportingProfile.objects.filter(user=user).first() or TaxReportingProfile(user=user)
    return SellerData(user=user, payout=payout_profile_for(user), tax=tax)


def is_eu_resident(user: User) -> bool:
    return seller_data(user).reportable


def dac7_gaps(data: SellerData) -> list[str]:
    """What § 14 PStTG asks for and is missing, as stable codes in the form's order: name,
    address, date_of_birth, tin (or the place of birth without one), residence, iban,
    register_number (entities)."""
    payout, tax = data.payout, data.tax
    gaps: list[str] = []
    if not payout.legal_name:
        gaps.append("name")
    if not all((payout.street, payout.house_number, payout.postcode, payout.town, payout.country)):
        gaps.append("address")
    if not tax.is_entity and tax.date_of_birth is None:
        gaps.append("date_of_birth")
    has_birth_place = bool(tax.birth_town and tax.birth_country)
    if not tax.tins and (tax.is_entity or not has_birth_place):
        gaps.append("tin")
    if not tax.residence_countries:
        gaps.append("residence")
    if not payout.iban or not payout.account_holder:
        gaps.append("iban")
    if tax.is_entity and not tax.register_number:
        gaps.append("register_number")
    return gaps


class _Errors(dict[str, list[str]]):
    def __init__(self) -> None:
        super().__init__()
        self.codes: dict[str, str] = {}

    def add(self, name: str, code: str, message: str) -> None:
        self.setdefault(name, []).append(message)
        self.codes.setdefault(name, code)


def _country(value: Any) -> str:
    return str(value or "").strip().upper()


def check_tin(tin: str, country: str, *, entity: bool = False) -> str:
    """The TIN in its usual form; ValueError when it cannot be one of `country`'s. A German
    person's TIN is the Steuer-IdNr; an entity's may be its Steuernummer."""
    compact = re.sub(r"[\s./-]", "", tin.upper())
    if country == "DE":
        for module in (de_idnr, de_stnr) if entity else (de_idnr,):
            try:
                return str(module.validate(compact))
            except StdnumError:
                continue
        raise ValueError("not a German TIN")
    if not _TIN.match(tin.upper()):
        raise ValueError("not a TIN")
    return tin.upper()


def _tins(raw: Any, errors: _Errors, *, entity: bool) -> list[dict[str, str]]:
    tins: list[dict[str, str]] = []
    for item in raw if isinstance(raw, list) else []:
        tin = str((item or {}).get("tin") or "").strip()
        country = _country((item or {}).get("country"))
        if not tin and not country:
            continue
        if country not in RESIDENCE_STATES:
            errors.add("tins", "tin_country", "Choose the state that issued the TIN.")
        elif not tin:
            errors.add("tins", "tin_missing", "Enter the TIN for the state you chose.")
        else:
            try:
                tins.append({"tin": check_tin(tin, country, entity=entity), "country": country})
            except ValueError:
                errors.add("tins", "bad_tin", f"This is not a valid TIN of {country}.")
    if len(tins) > MAX_TINS:
        errors.add("tins", "too_many_tins", f"At most {MAX_TINS} TINs.")
    return tins


def _birth_date(value: Any, errors: _Errors) -> date | None:
    if isinstance(value, str) and value.strip():
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            errors.add("date_of_birth", "bad_date", "Use a date like 1990-01-31.")
            return None
    if not isinstance(value, date):
        return None
    age = (timezone.localdate() - value).days / 365.25
    if not 16 <= age <= 120:
        errors.add("date_of_birth", "implausible_birth_date", "Check the date of birth.")
        return None
    return value


def _checked(data: Mapping[str, Any]) -> dict[str, Any]:
    errors = _Errors()
    residence = [_country(c) for c in (data.get("residence_countries") or [])]
    if any(c not in RESIDENCE_STATES for c in residence):
        errors.add("residence_countries", "bad_residence", "Choose states from the list.")
    birth_country = _country(data.get("birth_country"))
    if birth_country and not re.match(r"^[A-Z]{2}$", birth_country):
        errors.add("birth_country", "bad_country", "Use the two-letter country code.")
    birth_town = " ".join(str(data.get("birth_town") or "").split())[:100]
    register = " ".join(str(data.get("register_number") or "").split())
    if register and not _REGISTER.match(register):
        errors.add("register_number", "bad_register_number", "Check the register number.")
    values = {
        "is_entity": bool(data.get("is_entity")),
        "date_of_birth": _birth_date(data.get("date_of_birth"), errors),
        "birth_town": birth_town,
        "birth_country": birth_country,
        "tins": _tins(data.get("tins"), errors, entity=bool(data.get("is_entity"))),
        "residence_countries": sorted(set(residence)),
        "register_number": register,
    }
    if errors:
        raise InvalidInput(
            "The tax reporting data has errors.",
            code="tax_data_invalid",
            errors=dict(errors),
            field_codes=errors.codes,
        )
    return values


def tax_data_save(*, actor: User, data: Mapping[str, Any]) -> SellerData:
    """Validate and save the actor's tax reporting data (blank parts allowed, wrong values
    never); the DAC7 duties are re-checked at once, so completing the data lifts a hold."""
    if not (actor.is_helper or actor.is_pro):
        raise Forbidden("Only helpers and pros report tax data.", code="not_a_helper")
    values = _checked(data)
    from .dac7_duties import dac7_check  # duties build on this module

    with transaction.atomic():
        profile, _ = TaxReportingProfile.objects.select_for_update().get_or_create(user=actor)
        for name, value in values.items():
            setattr(profile, name, value)
        profile.save()
        dac7_check(user=actor, remind=False)
    return seller_data(actor)
