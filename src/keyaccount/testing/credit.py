"""Credit control values for tests: rating policies, open orders, churn policies.

`rating_policies` draws valid `RatingPolicy` values: one to four ratings from the best
to the worst, the last without a condition; `open_orders` draws orders of the customers
the finance strategies use (``c1``-``c3``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from keyaccount.customers import Tier
from keyaccount.finance import (
    ChurnDefinition,
    ChurnPolicy,
    CreditRating,
    OpenOrder,
    RatingPolicy,
    RatingRule,
)
from keyaccount.money import Money

__all__ = ["churn_policies", "open_orders", "rating_policies", "rating_rules"]

_CUSTOMERS = ("c1", "c2", "c3")


def _cents(max_cents: int) -> st.SearchStrategy[Money]:
    return st.integers(0, max_cents).map(lambda c: Money(Decimal(c).scaleb(-2)))


def rating_rules(rating: CreditRating) -> st.SearchStrategy[RatingRule]:
    """A rule for ``rating`` with any of its conditions set or left open."""
    return st.builds(
        RatingRule,
        st.just(rating),
        _cents(50_000_000),
        st.none() | st.integers(0, 180),
        st.integers(0, 36),
        st.none() | _cents(100_000_000),
        st.booleans(),
    )


@st.composite
def rating_policies(draw: Any) -> RatingPolicy:
    """Valid rating policies: ratings in order, the last one without a condition."""
    count = draw(st.integers(1, len(CreditRating)))
    ratings = list(CreditRating)[:count]
    rules = [draw(rating_rules(r)) for r in ratings[:-1]]
    rules.append(RatingRule(ratings[-1], draw(_cents(5_000_000))))
    return RatingPolicy(
        tuple(rules),
        hold_days_overdue=draw(st.integers(0, 365)),
        lookback_months=draw(st.integers(0, 36)),
    )


def open_orders(customers: tuple[str, ...] = _CUSTOMERS) -> st.SearchStrategy[OpenOrder]:
    """Open orders of the given customers, in CNY, placed in 2025-2026 or undated."""
    return st.builds(
        OpenOrder,
        id=st.from_regex(r"SO-[0-9]{1,4}", fullmatch=True),
        customer_id=st.sampled_from(customers),
        amount=_cents(10_000_000),
        placed_on=st.none()
        | st.integers(0, 540).map(lambda n: dt.date(2025, 1, 1) + dt.timedelta(days=n)),
    )


def churn_policies() -> st.SearchStrategy[ChurnPolicy]:
    """Either definition, N from 1 to 24 months, key tiers drawn from every tier."""
    return st.builds(
        ChurnPolicy,
        st.sampled_from(ChurnDefinition),
        st.integers(1, 24),
        st.lists(st.sampled_from(Tier), min_size=1, max_size=3, unique=True).map(tuple),
    )
