"""Where on a chain of command can an amount first be approved? The route's ladders.

A ladder serves the requesters who share a superior, on one subject and in one currency:
the reaches of the approving rights above them that grow on the way up. Below the first
rung that reaches an amount every right is a limit in the amount's currency below it,
which `refusal` refuses whatever else holds, so `approval_route` starts its walk there.

Each rung also knows, when `refusal` says so for every requester the ladder serves, the
right that approves whatever amount the rung is asked for: `refusal` is asked once per
chart, here, with the highest amount the rung is asked for (its reach), for each of those
requesters, within and over budget. `refusal` reads the amount only in its last test, a
limit of X covering every amount up to X in its own currency, so a rung whose first
right covers its reach for a requester covers every lower amount for that requester.

The ladders are built from the chart's index the first time a chart is routed, once,
and kept beside the chart until it is dropped (the chart is immutable); nothing here
depends on a request.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Final

from keyaccount.money import Money
from keyaccount.org.authority import refusal
from keyaccount.org.chart import OrgChart
from keyaccount.org.model import Position
from keyaccount.org.rights import Authority

__all__ = ["BUILT", "Ladder", "Ladders", "ladders", "reach"]


class Ladder(tuple[Decimal | int | Authority | tuple[str, ...] | None, ...]):
    """Where on a chain of command an amount can first be approved, rung by rung.

    A rung is a position on the chain holding approving rights on the subject; the
    ladder keeps, for its rungs from the bottom up, four facts in four runs of one flat
    tuple (a route reads one tuple, whatever the rung), then the chain:

    - `reaches`: how high each rung reaches (`reach`), growing on the way up: each is
      higher than every reach below it, so the first that reaches an amount is found by
      bisection;
    - `depths`: the depth of each rung in the chain (0: the requesters' superior);
    - `within`: the right that approves every request within budget the rung is asked
      for, by each requester the ladder serves, or ``None`` where `refusal` must decide;
    - `over`: the same for requests over budget;
    - `chain`: the chain of command of the requesters it serves.
    """

    __slots__ = ()

    @property
    def rungs(self) -> int:
        """How many rungs the ladder has."""
        return len(self) // 4

    @property
    def reaches(self) -> tuple[Decimal, ...]:
        """How high each rung reaches, growing on the way up."""
        return self[: self.rungs]  # type: ignore[return-value]  # the first run

    @property
    def depths(self) -> tuple[int, ...]:
        """The depth of each rung in the chain."""
        return self[self.rungs : 2 * self.rungs]  # type: ignore[return-value]  # the second run

    @property
    def within(self) -> tuple[Authority | None, ...]:
        """The right each rung approves under, within budget, if known for all."""
        return self[2 * self.rungs : 3 * self.rungs]  # type: ignore[return-value]  # the third run

    @property
    def over(self) -> tuple[Authority | None, ...]:
        """The right each rung approves under, over budget, if known for all."""
        return self[3 * self.rungs : 4 * self.rungs]  # type: ignore[return-value]  # the fourth

    @property
    def chain(self) -> tuple[str, ...]:
        """The chain of command of the requesters the ladder serves."""
        return self[-1]  # type: ignore[return-value]  # the last item


Ladders = Mapping[tuple[str, str], Mapping[str, Ladder]]
"""(subject, currency) -> requester id -> the `Ladder` of its chain of command."""

BUILT: Final[dict[int, tuple[weakref.ref[OrgChart], Ladders]]] = {}
"""id(chart) -> (a weak reference to the chart, its ladders): beside the chart, never in
it (a frozen value hides no memo), and dropped with it."""

_UNBOUNDED: Final = Decimal("Infinity")


def ladders(chart: OrgChart) -> Ladders:
    """The ladders of ``chart``, built the first time it is routed and kept beside it.

    For every subject with approving rights and every currency a limit on it is written
    in: each requester whose reporting lines reach a top, mapped to its superior's
    ladder (a requester at the top, or one whose lines are broken, has none).
    """
    key = id(chart)
    found = BUILT.get(key)
    if found is not None and found[0]() is chart:
        return found[1]
    built = _build(chart)
    BUILT[key] = (weakref.ref(chart), built)
    weakref.finalize(chart, BUILT.pop, key, None)
    return built


def reach(rights: Sequence[Authority], currency: str) -> Decimal:
    """The highest amount in ``currency`` any of ``rights`` might cover.

    A limit in ``currency`` covers at most itself; a right without a limit, or with a
    limit in another currency (compared only through rates), might cover any amount.
    Whether it does is for `refusal` to say: the reach only tells where to ask first.
    """
    highest = Decimal(0)
    for authority in rights:
        limit = authority.limit
        if limit is None or limit.currency != currency:
            return _UNBOUNDED
        highest = max(highest, limit.amount)
    return highest


def _build(chart: OrgChart) -> dict[tuple[str, str], dict[str, Ladder]]:
    """Every ladder of ``chart``: each superior's, built from its own superior's.

    The ladder of a superior covers its own chain (itself at depth 0, then its chain of
    command), which is the chain of command of each of its subordinates. Built in time
    proportional to the chart's positions times its depth, plus two `refusal` calls
    per requester and rung.
    """
    index = chart._index
    by_id = index.by_id
    # Each superior's own chain: the chain of command of its subordinates, whose tuple
    # it reuses. Superiors come before their subordinates.
    own_chains: dict[str, tuple[str, ...]] = {}
    for chain in index.chains.values():
        if chain:
            own_chains.setdefault(chain[0], chain)
    superiors = sorted(own_chains, key=lambda p: len(own_chains[p]))
    served_by = {s: tuple(by_id[c] for c in index.children[s]) for s in superiors}
    reaches: dict[Decimal, Decimal] = {}  # one object per value: compared on every route
    table: dict[tuple[str, str], dict[str, Ladder]] = {}
    for subject, held in index.approving.items():
        currencies = {a.limit.currency for r in held.values() for a in r if a.limit is not None}
        for currency in sorted(currencies):
            zero = Money(0, currency)
            # Each holder's (reach, id), and each superior's over its own chain, growing.
            step_of = {p: (_one(reaches, reach(r, currency)), p) for p, r in held.items()}
            steps: dict[str, tuple[tuple[Decimal, str], ...]] = {}
            served: dict[str, Ladder] = {}
            for position_id in superiors:
                chain = own_chains[position_id]
                above = steps[chain[1]] if len(chain) > 1 else ()
                own = step_of.get(position_id)
                if own is not None:
                    above = (own, *(step for step in above if step[0] > own[0]))
                steps[position_id] = above
                requesters = served_by[position_id]
                depths: list[int] = []
                within: list[Authority | None] = []
                over: list[Authority | None] = []
                for top, holder_id in above:
                    depths.append(len(chain) - len(own_chains[holder_id]))
                    holder = by_id[holder_id]
                    first = held[holder_id][0]
                    probe = _probe(first, top, zero)
                    for budget, answers in ((True, within), (False, over)):
                        answers.append(
                            _approves(chart, holder, first, probe, requesters, within_budget=budget)
                        )
                ladder = Ladder((*(top for top, _ in above), *depths, *within, *over, chain))
                for requester in requesters:
                    served[requester.id] = ladder
            table[(subject, currency)] = served
    return table


def _one(seen: dict[Decimal, Decimal], value: Decimal) -> Decimal:
    """The one object kept for ``value``: reaches are compared on every route."""
    return seen.setdefault(value, value)


def _probe(first: Authority, top: Decimal, zero: Money) -> Money | None:
    """The highest amount a rung reaching ``top`` is asked for, to ask `refusal` about.

    ``None`` when ``first``, the rung's first right, is not the one the walk asks
    about every amount up to ``top``: a limit below ``top``, or in another currency.
    A right without a limit is asked about ``zero``: `refusal` reads no amount there.
    """
    limit = first.limit
    if limit is None:
        return zero
    if limit.currency == zero.currency and limit.amount >= top:
        return limit
    return None


def _approves(
    chart: OrgChart,
    holder: Position,
    first: Authority,
    probe: Money | None,
    requesters: Sequence[Position],
    *,
    within_budget: bool,
) -> Authority | None:
    """``first`` if `refusal` lets it approve ``probe`` for each of ``requesters``.

    The walk asks about ``first`` before any other right of its rung, and `refusal`
    covers an amount whenever it covers a higher one in the same currency: then the
    route of each of ``requesters`` to this rung ends here, under ``first``. Rates
    are not read: the probe is in the limit's own currency, or there is no limit.
    """
    if probe is None:
        return None
    for requester in requesters:
        if refusal(chart, holder, first, requester, probe, within_budget, None) is not None:
            return None
    return first
