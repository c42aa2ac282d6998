"""Which template an invoice in the helper's name uses — the rule, in one place.

The helper's VAT status (their payout & tax profile) decides first:

- `ch_registered` -> `ch_registered` (Art. 26 MWSTG): the MWST number and that the helper
  is registered, the rate per line ("MWST 8.1 %") and the VAT amount.
- `ch_unregistered` -> `ch_unregistered`: no VAT wording at all (Art. 27 MWSTG) - no rate,
  no amount, no number.
- `de_regular` -> `de_standard` (§ 14 Abs. 4 Nr. 1-9 UStG): both parties' names and
  addresses, Steuernummer or USt-IdNr, number, issue and supply date, the net amount per
  rate, the rate and the tax.
- `de_regular` with a gross total <= EUR 250 -> `de_small_amount` (§ 33 UStDV): the gross
  amount with the rate, no VAT split; never with reverse charge, and not when the § 35a
  block is printed (that needs the recipient and the labour/material split).
- `de_small` -> `de_small_business` (§ 34a UStDV): one sum and "Steuerfreie Leistung -
  Kleinunternehmer gemäß § 19 UStG" (printed with an en dash), never a VAT amount.
- `de_private` -> `de_private`: no tax number, no VAT, and that the provider acts as a
  private person, not as an entrepreneur.

Additions, whatever the template:

- German templates of an entrepreneur (not `de_private`) add the retention note (§ 14b Abs. 1
  S. 5 UStG) when the skill is property-related (`property` flag) — our customers are private.
- The § 35a block (money-law §3) on German jobs whose skill is household-related or a
  craftsman's (`household`, `craftsman` flags) and where the customer pays a part: labour,
  travel and consumables apart from material, the eligible labour total for the customer's
  share (the partner-paid share is not the customer's expense) and "please pay cashless".
  Cash instead prints that cash gives no § 35a benefit; a job the partner pays in full, none.
"""

from __future__ import annotations

from typing import Literal

SMALL_AMOUNT_LIMIT_EUR_MINOR = 250_00

TEMPLATE_BY_VAT_STATUS = {
    "ch_registered": "ch_registered",
    "ch_unregistered": "ch_unregistered",
    "de_regular": "de_standard",
    "de_small": "de_small_business",
    "de_private": "de_private",
}

Block35a = Literal["block", "cash_note", "none"]


def block_35a(
    *, vat_status: str, skill_flags: list[str], method: str, customer_share_minor: int
) -> Block35a:
    """Whether the § 35a block (or the cash note instead) belongs on the invoice."""
    eligible = {"household", "craftsman"} & set(skill_flags)
    if not vat_status.startswith("de_") or not eligible or customer_share_minor <= 0:
        return "none"
    if method in ("card", "twint"):
        # Whether a payment through the provider counts as paid "to the provider's account"
        # is an open advisor item (money-law 8.5): no § 35a block until it is settled.
        return "none"
    return "cash_note" if method == "cash" else "block"


def template_for(
    *, vat_status: str, currency: str, gross_minor: int, block: Block35a, reverse_charge: bool
) -> str:
    """The template of a customer invoice (see the module docstring)."""
    template = TEMPLATE_BY_VAT_STATUS[vat_status]
    small = currency == "EUR" and 0 <= gross_minor <= SMALL_AMOUNT_LIMIT_EUR_MINOR
    if template == "de_standard" and small and block != "block" and not reverse_charge:
        return "de_small_amount"
    return template


def retention_note(*, vat_status: str, skill_flags: list[str]) -> bool:
    return vat_status in ("de_regular", "de_small") and "property" in skill_flags


def shows_vat(template: str) -> bool:
    """Templates that print a VAT rate; of them only `de_small_amount` prints no amount."""
    return template in ("ch_registered", "de_standard", "de_small_amount")
