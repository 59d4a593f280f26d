"""Amounts of money for tests."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from keyaccount.money import Money

__all__ = ["money"]


def money(
    currencies: tuple[str, ...] = ("CNY",), max_amount: int = 10_000_000
) -> st.SearchStrategy[Money]:
    """Non-negative amounts with two decimal places in the given currencies."""
    cents = st.integers(0, max_amount * 100)
    return st.builds(
        lambda c, cur: Money(Decimal(c).scaleb(-2), cur), cents, st.sampled_from(currencies)
    )
