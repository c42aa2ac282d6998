"""The words for compliance's codes, translated when rendered (in the recipient's language)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

GAP_LABELS: dict[str, Promise] = {
    "name": _("your full legal name (on the Payout & tax page)"),
    "address": _("your residential address (on the Payout & tax page)"),
    "date_of_birth": _("your date of birth"),
    "tin": _(
        "your tax identification number with the state that issued it "
        "(or, without one, your place of birth)"
    ),
    "residence": _("the states you are resident in"),
    "iban": _("your IBAN and the account holder (on the Payout & tax page)"),
    "register_number": _("your business register number"),
}


def gap_words(gaps: list[str]) -> list[Promise]:
    return [GAP_LABELS[gap] for gap in gaps if gap in GAP_LABELS]
