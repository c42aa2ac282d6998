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
from quartier.payments.models import PayoutProfile, ProviderKind


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
