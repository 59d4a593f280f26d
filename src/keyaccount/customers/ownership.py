"""Who owns each customer: balanced assignment, hand-over of orphans (孤儿客户), the owner rule.

The supervisor assigns "balancing the number of customers while taking ability into
account" (负责客户数量均衡、兼顾业务能力, ``000_…``); when a salesperson leaves, the
service specialist keeps their customers served until a suitable salesperson takes over
(``001_…``), so no active customer is ever without an owner (`unowned`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

import attrs
import pendulum

from keyaccount._fields import to_instant
from keyaccount.customers.model import Customer, CustomerStatus, Staff
from keyaccount.errors import DuplicateIdError, NoCandidateError

__all__ = ["Assignment", "HandOver", "apply_assignments", "assign", "hand_over", "unowned"]


@attrs.frozen
class Assignment:
    """One customer given to an owner, and why.

    Attributes:
        customer_id: the customer.
        owner: the staff id of the new owner.
        previous_owner: the staff id it came from, if any.
        interim: true when the owner is the interim service specialist keeping an
            orphan customer (孤儿客户) served until a salesperson takes over.
        reason: the choice in words.
        owner_position: the new owner's position id (`assign` and `hand_over` fill it
            in). `apply_assignments` moves a confidential prospect's registration to the
            new owner with it, so the owner's reporting chain may see the prospect.
    """

    customer_id: str
    owner: str
    previous_owner: str | None
    interim: bool
    reason: str
    owner_position: str | None = None


@attrs.frozen
class HandOver:
    """The result of `hand_over`: every customer of the departing person, re-owned.

    Attributes:
        departing: the staff id of the person leaving.
        assignments: one per customer, in customer-id order.
    """

    departing: str
    assignments: tuple[Assignment, ...]

    @property
    def to_candidates(self) -> tuple[Assignment, ...]:
        """The customers taken over by a salesperson."""
        return tuple(a for a in self.assignments if not a.interim)

    @property
    def to_interim(self) -> tuple[Assignment, ...]:
        """The orphan customers the interim service specialist keeps served (孤儿客户)."""
        return tuple(a for a in self.assignments if a.interim)


def _loads(customers: Iterable[Customer], specialists: Sequence[Staff]) -> dict[str, int]:
    """How many of ``customers`` each specialist owns already."""
    ids = {s.id for s in specialists}
    counts = Counter(c.owner for c in customers if c.owner in ids)
    return {s.id: counts.get(s.id, 0) for s in specialists}


def _balanced(
    customer_ids: Sequence[str],
    specialists: Sequence[Staff],
    load: dict[str, int],
    previous: Mapping[str, str | None],
    why: str,
) -> tuple[Assignment, ...]:
    """Give each customer to the specialist with the lowest (load + 1) / ability."""

    def score(specialist: Staff) -> Fraction:
        return Fraction(load[specialist.id] + 1) / Fraction(specialist.ability)

    pool = sorted(specialists, key=lambda s: s.id)
    out: list[Assignment] = []
    for customer_id in sorted(customer_ids):
        ranked = sorted(pool, key=lambda s: (score(s), s.id))
        chosen = ranked[0]
        versus = (
            f"; next best {ranked[1].id} at {score(ranked[1])}"
            if len(ranked) > 1
            else "; the only specialist available"
        )
        out.append(
            Assignment(
                customer_id,
                chosen.id,
                previous.get(customer_id),
                False,
                f"{why}: {chosen.id} has the lowest (customers + 1) / ability = "
                f"({load[chosen.id]} + 1) / {chosen.ability} = {score(chosen)}{versus} "
                "(负责客户数量均衡、兼顾业务能力; ties go to the lower staff id)",
                chosen.position,
            )
        )
        load[chosen.id] += 1
    return tuple(out)


def assign(
    customers: Iterable[Customer],
    specialists: Iterable[Staff],
    *,
    book: Iterable[Customer] = (),
) -> tuple[Assignment, ...]:
    """Distribute ``customers`` among ``specialists``, balancing load weighted by ability.

    The seed's supervisor assigns "balancing the number of customers while taking
    ability into account" (负责客户数量均衡、兼顾业务能力, ``000_…``). Customers are
    taken in id order; each goes to the active specialist with the lowest
    ``(customers already owned + 1) / ability``, ties to the lower staff id. The
    answer depends only on the facts, not on the order they are given in.

    Examples:
        >>> staff = [Staff("s1", "王", "specialist"), Staff("s2", "李", "specialist", ability=2)]
        >>> customers = tuple(Customer(f"c{i}", f"客户{i}") for i in range(3))
        >>> tuple(a.owner for a in assign(customers, staff))
        ('s2', 's1', 's2')

    Args:
        customers: the customers to (re)assign.
        specialists: the candidates; inactive ones are skipped.
        book: the customers already owned, counted as the specialists' current load
            (customers being assigned are not counted twice).

    Returns:
        One `Assignment` per customer, in customer-id order.

    Raises:
        NoCandidateError: there are customers but no active specialist.
        DuplicateIdError: a customer id is given twice.
    """
    targets = list(customers)
    ids = [c.id for c in targets]
    if len(set(ids)) != len(ids):
        repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
        raise DuplicateIdError(f"customer ids given twice: {', '.join(repeated)}")
    pool = [s for s in specialists if s.active]
    if not targets:
        return ()
    if not pool:
        raise NoCandidateError("no active specialist to assign the customers to")
    moving = set(ids)
    load = _loads((c for c in book if c.id not in moving), pool)
    previous = {c.id: c.owner for c in targets}
    return _balanced(ids, pool, load, previous, "assigned")


def hand_over(
    departing: Staff | str,
    customers: Iterable[Customer],
    candidates: Iterable[Staff],
    interim: Staff,
) -> HandOver:
    """Re-own every customer of a person who leaves (孤儿客户转接, ``001_…``).

    Each customer owned by ``departing`` goes to an active candidate, balanced as in
    `assign` against the candidates' current customers in ``customers``. When no
    candidate is available, the customers go to ``interim``, the service specialist who
    "keeps the customers served until a suitable salesperson takes them over"
    (保证在无合适业务员接手的时间内客户的正常沟通及服务工作). No customer is left
    without an owner; the result says which went where.

    Args:
        departing: the person leaving (or their staff id).
        customers: the whole book (the departing person's customers are taken from it,
            everyone else's count as the candidates' load).
        candidates: salespeople who may take customers over; the departing person and
            inactive people are skipped.
        interim: the service specialist who keeps orphan customers served.

    Returns:
        The `HandOver`: one assignment per customer of the departing person.

    Raises:
        NoCandidateError: the interim owner is the departing person or inactive, and
            there are customers to hand over with no candidate to take them.
    """
    leaving = departing if isinstance(departing, str) else departing.id
    book = list(customers)
    orphans = [c for c in book if c.owner == leaving]
    pool = [s for s in candidates if s.active and s.id != leaving]
    if pool:
        load = _loads((c for c in book if c.owner != leaving), pool)
        previous: dict[str, str | None] = {c.id: leaving for c in orphans}
        moves = _balanced(
            [c.id for c in orphans], pool, load, previous, f"taken over from {leaving}"
        )
        return HandOver(leaving, moves)
    if orphans and (not interim.active or interim.id == leaving):
        raise NoCandidateError(
            f"{len(orphans)} customer(s) of {leaving} need an owner, no candidate is "
            f"available and the interim owner {interim.id} cannot take them"
        )
    return HandOver(
        leaving,
        tuple(
            Assignment(
                c.id,
                interim.id,
                leaving,
                True,
                f"孤儿客户: no salesperson available to take over from {leaving}; "
                f"{interim.id} keeps the customer served until one does",
                interim.position,
            )
            for c in sorted(orphans, key=lambda c: c.id)
        ),
    )


def apply_assignments(
    customers: Iterable[Customer],
    assignments: Iterable[Assignment],
    assigned_at: dt.datetime,
) -> tuple[Customer, ...]:
    """New customer records with the owners (and ``assigned_at``) the assignments give.

    A prospect (报备未成交) also moves its registration to the new owner:
    ``registered_by`` becomes the owner and ``registered_position`` the owner's position
    (when the assignment carries it, as those of `assign` and `hand_over` do). The
    salesperson who takes a prospect over holds it from then on (孤儿客户转接, ``001_…``):
    she and her reporting chain may see it (`can_view`), the person who left no longer
    can. ``registered_at`` is kept: the registration's precedence (撞单) does not change.

    Never mutates; customers without an assignment come back unchanged.

    Args:
        customers: the book.
        assignments: the moves to apply (from `assign` or `hand_over`).
        assigned_at: when the assignments take effect: the event's own time, stored as
            each moved customer's `Customer.assigned_at` (it starts the first-contact
            deadline), not the instant a rule is evaluated at.

    Returns:
        The book, in the order given, with the moved customers re-owned.

    Raises:
        NaiveDatetimeError: ``assigned_at`` has no time zone.
        NotAnInstantError: ``assigned_at`` is not a datetime.
    """
    when = to_instant(assigned_at, "assigned_at")
    by_id = {a.customer_id: a for a in assignments}
    return tuple(_moved(c, by_id[c.id], when) if c.id in by_id else c for c in customers)


def _moved(customer: Customer, move: Assignment, when: pendulum.DateTime) -> Customer:
    """``customer`` owned by ``move.owner`` from ``when``, its registration moved with it."""
    moved = attrs.evolve(customer, owner=move.owner, assigned_at=when)
    if customer.status is CustomerStatus.PROSPECT and move.owner_position is not None:
        moved = attrs.evolve(
            moved, registered_by=move.owner, registered_position=move.owner_position
        )
    return moved


def unowned(customers: Iterable[Customer]) -> tuple[Customer, ...]:
    """Active customers without an owner: always empty in a sound book.

    The one statement of the rule "every active customer has an owner"; the command
    line's ``customers check`` reports what it returns.

    Args:
        customers: the book.

    Returns:
        The active customers whose ``owner`` is ``None``, in the order given.
    """
    return tuple(c for c in customers if c.status is CustomerStatus.ACTIVE and c.owner is None)
