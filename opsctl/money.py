"""Money as typed on the command line: exact (`Decimal`, never a float), kept in whole cents.

One parser for every amount (project costs, rewards and penalties, money settings), so they refuse
the same wrong inputs with the same words, and a huge number is a clear error rather than a
`decimal.InvalidOperation` from rounding it to the cent.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from opsctl.errors import InvalidInput

CENT = Decimal("0.01")


def parse_money(text: str, *, option: str, most: Decimal, positive: bool = True, hint: str = "") -> Decimal:
    """`text` as an amount to the cent: more than 0 (or, `positive=False`, 0 or more), at most `most`.

    Thousands separators are allowed (`1,200.50`). `option` names the input in messages
    (`--amount`, `AMOUNT`); `hint` is added to the message about the sign.
    """
    rule = "more than 0" if positive else "0 or more"
    try:
        amount = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise InvalidInput(f"{option}: not an amount: {text!r} (a number {rule}, such as 1200 or 1200.50)")
    if amount < 0 or (positive and amount == 0):
        sign = "is negative" if amount < 0 else "is 0"
        raise InvalidInput(f"{option}: {text} {sign}; an amount must be {rule}{hint}")
    if amount > most:  # before rounding to the cent: that fails beyond Decimal's 28 digits
        raise InvalidInput(f"{option}: {text} is more than opsctl keeps ({most:,.0f} at most)")
    if amount != amount.quantize(CENT):
        raise InvalidInput(f"{option}: {text} has more than two decimals; amounts are kept to the cent")
    return amount.quantize(CENT)


def to_cents(amount: Decimal) -> int:
    """An amount (already to the cent) as whole cents, as the tables keep it."""
    return int(amount.quantize(CENT) * 100)


def from_cents(value: int) -> Decimal:
    """Whole cents as an exact amount with two decimals."""
    return (Decimal(value) / 100).quantize(CENT)
