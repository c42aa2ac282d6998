"""Money: amounts never lose or invent a Rappen, round as documented, and are written as
each market writes them."""

from __future__ import annotations

import math
from decimal import ROUND_DOWN, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quartier.money import CurrencyMismatch, Money, format_money, to_major, to_minor

currencies = st.sampled_from(["CHF", "EUR"])
minor_units = st.integers(min_value=-(10**12), max_value=10**12)
amounts = st.builds(Money, minor_units, currencies)
weights = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12).filter(any)
rates = st.decimals(min_value=0, max_value=100, places=3, allow_nan=False, allow_infinity=False)


def half_up(value: Fraction) -> int:
    """The reference rounding: to the nearest integer, halves away from zero."""
    return int(math.copysign(math.floor(abs(value) + Fraction(1, 2)), value))


# Splitting: parts always add up to the total.


@given(amounts, weights)
def test_allocate_parts_sum_to_the_total_and_stay_within_a_unit_of_their_share(money, ws):
    parts = money.allocate(ws)

    assert sum(part.minor for part in parts) == money.minor
    assert {part.currency for part in parts} == {money.currency}
    for part, weight in zip(parts, ws, strict=True):
        exact_share = Fraction(money.minor * weight, sum(ws))
        assert abs(part.minor - exact_share) < 1
        if weight == 0:
            assert part.minor == 0


@given(amounts, st.integers(min_value=1, max_value=50))
def test_split_parts_sum_to_the_total_and_differ_by_at_most_one_unit(money, n):
    parts = money.split(n)

    assert len(parts) == n
    assert sum(part.minor for part in parts) == money.minor
    assert max(p.minor for p in parts) - min(p.minor for p in parts) <= 1
    # Deterministic: the extra units go to the first parts.
    magnitudes = [abs(p.minor) for p in parts]
    assert magnitudes == sorted(magnitudes, reverse=True)


@given(amounts, st.integers(min_value=1, max_value=1000), st.integers(min_value=1, max_value=30))
def test_equal_weights_share_equally_to_within_one_unit(money, weight, n):
    parts = money.allocate([weight] * n)

    assert parts == money.split(n)


def test_a_bill_split_three_ways_gives_the_extra_rappen_to_the_first_payer():
    assert [p.minor for p in Money(10000, "CHF").split(3)] == [3334, 3333, 3333]
    assert [p.minor for p in Money(-10000, "CHF").split(3)] == [-3334, -3333, -3333]
    assert [p.minor for p in Money(100, "EUR").allocate([1, 2, 0])] == [33, 67, 0]
    assert [p.minor for p in Money(1000, "CHF").allocate([Decimal("0.7"), Decimal("0.3")])] == [
        700,
        300,
    ]


@pytest.mark.parametrize("bad", [[], [0, 0], [1, -1]])
def test_allocate_refuses_weights_that_cannot_share_the_amount(bad):
    with pytest.raises(ValueError, match=r"(?i)weight|part"):
        Money(100, "CHF").allocate(bad)


@pytest.mark.parametrize("bad", [0, -2])
def test_split_needs_at_least_one_part(bad):
    with pytest.raises(ValueError, match="part"):
        Money(100, "CHF").split(bad)


# Percentages and products: whole minor units, rounded once, half up.


@given(amounts, rates)
def test_percent_is_the_exact_share_rounded_half_up_to_whole_minor_units(money, rate):
    share = money.percent(rate)

    assert type(share.minor) is int
    assert share.currency == money.currency
    assert share.minor == half_up(Fraction(money.minor) * Fraction(rate) / 100)


@given(amounts, rates)
def test_percent_rounded_down_never_exceeds_the_exact_share(money, rate):
    exact = Fraction(money.minor) * Fraction(rate) / 100

    share = money.percent(rate, rounding=ROUND_DOWN)

    assert abs(share.minor) <= abs(exact) < abs(share.minor) + 1


@given(amounts, st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False))
def test_times_is_the_exact_product_rounded_half_up(money, quantity):
    assert money.times(quantity).minor == half_up(Fraction(money.minor) * Fraction(quantity))


def test_vat_and_hours_round_as_on_a_swiss_invoice():
    assert Money(1999, "CHF").percent(Decimal("8.1")).minor == 162  # 161.919 Rappen
    assert Money(1000, "CHF").percent(Decimal("0.05")).minor == 1  # exactly half a Rappen
    assert Money(8550, "CHF").times(Decimal("1.5")).minor == 12825
    assert Money(3333, "EUR").times(3).minor == 9999


def test_percent_stays_exact_when_the_ambient_decimal_context_is_coarse():
    with localcontext() as context:
        context.prec = 4
        assert Money(123_456_789, "CHF").percent(Decimal("7.7")).minor == 9_506_173


# Decimal amounts in, minor units out: half up.


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False), currencies)
def test_from_decimal_and_to_minor_round_half_up(amount, currency):
    expected = half_up(Fraction(amount) * 100)

    assert to_minor(amount) == expected
    assert Money.from_decimal(amount, currency) == Money(expected, currency)


@given(minor_units)
def test_minor_units_survive_a_round_trip_through_a_form_field(minor):
    assert to_major(minor).as_tuple().exponent == -2
    assert to_minor(to_major(minor)) == minor


@pytest.mark.parametrize(
    ("amount", "minor"),
    [("12.345", 1235), ("12.344", 1234), ("-12.345", -1235), ("0.005", 1), ("99.995", 10000)],
)
def test_half_a_rappen_rounds_away_from_zero(amount, minor):
    assert Money.from_decimal(Decimal(amount), "CHF").minor == minor


# Cash: CHF to 5 Rappen, EUR to the cent.


@pytest.mark.parametrize(
    ("amount", "cash"),
    [
        ("12.32", "12.30"),
        ("12.33", "12.35"),
        ("12.375", "12.40"),
        ("12.325", "12.35"),
        ("12.30", "12.30"),
        ("0.02", "0.00"),
        ("-12.33", "-12.35"),
        ("-12.32", "-12.30"),
    ],
)
def test_swiss_francs_paid_in_cash_round_to_five_rappen(amount, cash):
    rounded = Money.from_decimal(Decimal(amount), "CHF").round_to_cash()

    assert rounded == Money.from_decimal(Decimal(cash), "CHF")


@given(minor_units)
def test_cash_rounding_lands_on_a_coin_and_moves_at_most_two_rappen(minor):
    cash = Money(minor, "CHF").round_to_cash()

    assert cash.minor % 5 == 0
    assert abs(cash.minor - minor) <= 2
    assert cash.round_to_cash() == cash
    assert Money(minor, "EUR").round_to_cash() == Money(minor, "EUR")


# One currency at a time.


def test_amounts_add_subtract_negate_and_compare_within_a_currency():
    price, fee = Money(12000, "CHF"), Money(1500, "CHF")

    assert price + fee == Money(13500, "CHF")
    assert price - fee == Money(10500, "CHF")
    assert -fee == Money(-1500, "CHF")
    assert fee < price <= price
    assert price > fee >= fee
    assert Money.zero("EUR") == Money(0, "EUR")
    assert Money(123450, "CHF").amount == Decimal("1234.50")


@pytest.mark.parametrize(
    "operation",
    [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a < b,
        lambda a, b: a <= b,
        lambda a, b: a > b,
        lambda a, b: a >= b,
    ],
)
def test_mixing_currencies_raises(operation):
    with pytest.raises(CurrencyMismatch):
        operation(Money(100, "CHF"), Money(100, "EUR"))


def test_the_same_number_in_another_currency_is_not_the_same_amount():
    assert Money(100, "CHF") != Money(100, "EUR")
    assert len({Money(100, "CHF"), Money(100, "EUR"), Money(100, "CHF")}) == 2


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: Money(12.5, "CHF"), TypeError),  # type: ignore[arg-type]
        (lambda: Money(True, "CHF"), TypeError),
        (lambda: Money(100, "USD"), ValueError),
        (lambda: Money.from_decimal(12.5, "CHF"), TypeError),  # type: ignore[arg-type]
        (lambda: Money(100, "CHF").times(1.5), TypeError),  # type: ignore[arg-type]
        (lambda: Money(100, "CHF") + 1, TypeError),
        (lambda: Money(100, "CHF") < 1, TypeError),
        (lambda: Money.from_decimal(Decimal("NaN"), "CHF"), ValueError),
    ],
)
def test_floats_unknown_currencies_and_bare_numbers_are_refused(make, error):
    with pytest.raises(error):
        make()


# Writing amounts per locale.


@pytest.mark.parametrize(
    ("locale", "currency", "minor", "text"),
    [
        ("en", "CHF", 123450, "CHF\xa01,234.50"),
        ("en", "EUR", 123450, "€1,234.50"),
        ("en", "CHF", -123450, "-CHF\xa01,234.50"),
        ("en", "EUR", -123450, "-€1,234.50"),
        ("en", "CHF", 123456789, "CHF\xa01,234,567.89"),
        ("en", "EUR", 0, "€0.00"),
        ("de", "CHF", 123450, "1.234,50\xa0CHF"),
        ("de", "EUR", 123450, "1.234,50\xa0€"),
        ("de", "CHF", -123450, "-1.234,50\xa0CHF"),
        ("de", "EUR", -5, "-0,05\xa0€"),
        ("de", "EUR", 123456789, "1.234.567,89\xa0€"),
        ("de", "CHF", 0, "0,00\xa0CHF"),
        ("de-ch", "CHF", 123450, "CHF\xa01\u2019234.50"),
        ("de-ch", "EUR", 123450, "EUR\xa01\u2019234.50"),
        ("de-ch", "CHF", -123450, "CHF-1\u2019234.50"),
        ("de-ch", "EUR", -123450, "EUR-1\u2019234.50"),
        ("de-ch", "CHF", 123456789, "CHF\xa01\u2019234\u2019567.89"),
        ("de-ch", "CHF", 0, "CHF\xa00.00"),
    ],
)
def test_amounts_are_written_as_each_market_writes_them(locale, currency, minor, text):
    assert format_money(minor, currency, locale=locale) == text
    assert format_money(Money(minor, currency), locale=locale) == text


@pytest.mark.parametrize(
    ("language", "babel_locale"), [("de-ch", "de_CH"), ("de", "de_DE"), ("en", "en")]
)
def test_site_languages_and_babel_locales_write_the_same(language, babel_locale):
    for minor in (123450, -98765432, 0):
        for currency in ("CHF", "EUR"):
            assert format_money(minor, currency, locale=language) == format_money(
                minor, currency, locale=babel_locale
            )
    assert format_money(123450, "CHF", locale="DE-CH") == "CHF\xa01\u2019234.50"


def test_formatting_refuses_a_missing_or_contradicting_currency():
    with pytest.raises(ValueError, match="currency"):
        format_money(100, locale="en")
    with pytest.raises(CurrencyMismatch):
        format_money(Money(100, "CHF"), "EUR", locale="en")
