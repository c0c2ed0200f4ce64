"""Money as typed: exact to the cent, and every wrong amount a clear InvalidInput (exit 1)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from opsctl.errors import InvalidInput
from opsctl.money import from_cents, parse_money, to_cents

MOST = Decimal(10) ** 12


@pytest.mark.parametrize(("text", "problem"), [
    ("lots", "not an amount: 'lots'"), ("nan", "not an amount"), ("inf", "not an amount"), ("1e", "not an amount"),
    ("-5", "is negative"), ("0", "is 0; an amount must be more than 0"), ("12.345", "more than two decimals"),
    # beyond Decimal's 28 digits rounding to the cent raises decimal.InvalidOperation: the bound comes first
    ("1e30", "more than opsctl keeps (1,000,000,000,000 at most)"), ("1e400", "more than opsctl keeps"),
    ("9" * 40, "more than opsctl keeps"),
])
def test_a_wrong_amount_is_named_with_its_option(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput, match=r"^AMOUNT: ") as caught:
        parse_money(text, option="AMOUNT", most=MOST)
    assert problem in caught.value.message


def test_zero_is_an_amount_where_it_may_be() -> None:
    assert parse_money("0", option="--amount", most=MOST, positive=False) == Decimal("0.00")
    with pytest.raises(InvalidInput, match="0 or more; say which way"):
        parse_money("-1", option="--amount", most=MOST, positive=False, hint="; say which way")


def test_amounts_are_exact_and_round_trip_through_cents() -> None:
    amount = parse_money("1,200.5", option="AMOUNT", most=MOST)
    assert amount == Decimal("1200.50") and str(amount) == "1200.50"
    assert to_cents(amount) == 120050 and from_cents(120050) == amount
    assert sum((parse_money(t, option="A", most=MOST) for t in ("0.10", "0.20")), Decimal(0)) == Decimal("0.30")
