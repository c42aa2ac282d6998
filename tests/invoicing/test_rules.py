"""The template rule (quartier/invoicing/rules.py) over all inputs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from quartier.invoicing import rules

STATUSES = st.sampled_from(sorted(rules.TEMPLATE_BY_VAT_STATUS))
FLAGS = st.lists(st.sampled_from(["household", "craftsman", "property"]), unique=True)
METHODS = st.sampled_from(["transfer", "cash", "partner"])


@given(
    status=STATUSES,
    currency=st.sampled_from(["CHF", "EUR"]),
    gross=st.integers(0, 10**7),
    block=st.sampled_from(["block", "cash_note", "none"]),
    reverse_charge=st.booleans(),
)
def test_small_amount_template_only_where_paragraph_33_allows_it(
    status, currency, gross, block, reverse_charge
):
    template = rules.template_for(
        vat_status=status,
        currency=currency,
        gross_minor=gross,
        block=block,
        reverse_charge=reverse_charge,
    )
    small = template == "de_small_amount"
    assert small == (
        status == "de_regular"
        and currency == "EUR"
        and gross <= 25000
        and block != "block"
        and not reverse_charge
    )
    if not small:
        assert template == rules.TEMPLATE_BY_VAT_STATUS[status]
    assert rules.shows_vat(template) == (status in ("ch_registered", "de_regular"))


@given(status=STATUSES, flags=FLAGS, method=METHODS, share=st.integers(-100, 10**6))
def test_35a_block_only_for_german_household_or_craft_work_the_customer_pays(
    status, flags, method, share
):
    block = rules.block_35a(
        vat_status=status, skill_flags=flags, method=method, customer_share_minor=share
    )
    eligible = (
        status.startswith("de_") and share > 0 and bool({"household", "craftsman"} & set(flags))
    )
    assert (block != "none") == eligible
    if eligible:
        assert block == ("cash_note" if method == "cash" else "block")


@given(status=STATUSES, flags=FLAGS)
def test_retention_note_for_property_work_of_german_entrepreneurs_only(status, flags):
    expected = status in ("de_regular", "de_small") and "property" in flags
    assert rules.retention_note(vat_status=status, skill_flags=flags) == expected
