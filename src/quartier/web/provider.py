"""Who provides the service: a private person or a business, and what that means for a
German consumer (Art. 246d EGBGB: a marketplace says whether the provider is a trader by
its own declaration; if not, consumer-protection rules do not apply).

The kind is the helper's own declaration in their payout & tax profile (payments); a helper
without a profile counts as a business when they signed up as a pro, else as a private
person. Read here, above payments, for the checkout pages and API.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from quartier.accounts.models import User
from quartier.bookings.changes import Trader
from quartier.payments.models import PayoutProfile, ProviderKind, VatStatus


def provider_kind_of(helper: User) -> str:
    declared = (
        PayoutProfile.objects.filter(user_id=helper.pk)
        .values_list("provider_kind", flat=True)
        .first()
    )
    if declared:
        return str(declared)
    return ProviderKind.BUSINESS if helper.is_pro else ProviderKind.PRIVATE


def consumer_notice(provider_kind: str, market: str) -> str:
    """The notice a German customer reads at checkout; empty in Switzerland, which has no
    general right of withdrawal for such contracts."""
    if market != "DE":
        return ""
    if provider_kind == ProviderKind.BUSINESS:
        return _(
            "The provider is a trader (Unternehmer) by their own declaration. Consumer "
            "protection applies: you have a 14-day right of withdrawal from the contract."
        )
    return _(
        "The provider is a private person (Privatperson) by their own declaration. The "
        "consumer-protection rules for contracts with traders, such as the right of "
        "withdrawal, do not apply."
    )


#: German VAT statuses that make a helper a trader (Unternehmer), whatever kind they declared:
#: a Kleinunternehmer (§ 19 UStG) is one too.
TRADER_VAT_STATUSES = frozenset({VatStatus.DE_REGULAR, VatStatus.DE_SMALL})


def trader_of(helper: User) -> Trader | None:
    """The helper as the trader a withdrawal notice names, or None for a private person: a
    business by their own declaration (or, without a profile, a pro) unless they declared
    themselves not an entrepreneur for German VAT; always so with a German VAT status of
    an entrepreneur. Name and address as in the payout profile, else the account's name."""
    profile = PayoutProfile.objects.filter(user_id=helper.pk).first()
    if profile is None:
        is_trader = helper.is_pro
    else:
        is_trader = profile.vat_status in TRADER_VAT_STATUSES or (
            profile.provider_kind == ProviderKind.BUSINESS
            and profile.vat_status != VatStatus.DE_PRIVATE
        )
    if not is_trader:
        return None
    name, address = helper.full_name, ""
    if profile is not None:
        name = profile.legal_name or name
        street = f"{profile.street} {profile.house_number}".strip()
        town = f"{profile.postcode} {profile.town}".strip()
        address = ", ".join(part for part in (street, town) if part)
    return Trader(name=name, address=address, email=helper.email)
