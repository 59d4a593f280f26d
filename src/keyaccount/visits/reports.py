"""How a round of visits went: member coverage and the summary report.

The seed asks for return visits to 100% of member customers (必须保证会员客户的100%的回访)
and ends each round with a summary report (《回访总结报告》). `coverage` gives the share
of members visited in a round, `visit_summary` the report of a period. Both read each
record's local date on the calendar.

Examples:
    >>> import datetime as dt
    >>> import pendulum
    >>> from keyaccount.calendar import WorkCalendar
    >>> when = pendulum.datetime(2026, 3, 2, 10, tz="Asia/Shanghai")
    >>> done = VisitRecord("v1", "m1", when, by="s1", outcome=Outcome.SATISFIED, notes="ok")
    >>> march = DateRange(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    >>> visit_summary([done], march, VisitPolicy(), WorkCalendar.china()).satisfaction_rate
    Fraction(1, 1)
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

import attrs

from keyaccount._fields import earlier, exact_fraction, to_instant
from keyaccount.calendar import DateRange, WorkCalendar
from keyaccount.customers import Customer, CustomerStatus
from keyaccount.visits.model import Channel, Outcome, VisitRecord
from keyaccount.visits.policy import VisitPolicy

__all__ = [
    "Coverage",
    "IncompleteRecord",
    "VisitSummary",
    "coverage",
    "members_of",
    "visit_summary",
]

_ANSWERS = (Outcome.SATISFIED, Outcome.NEUTRAL, Outcome.UNSATISFIED)


def members_of(customers: Iterable[Customer]) -> tuple[Customer, ...]:
    """The active member customers (VIP and member cards): those every round must reach."""
    return tuple(c for c in customers if c.status is CustomerStatus.ACTIVE and c.tier.is_member)


def _local_date(record: VisitRecord, calendar: WorkCalendar) -> dt.date:
    return record.at.in_timezone(calendar.tz).date()


# --------------------------------------------------------------------------- coverage


@attrs.frozen
class Coverage:
    """How much of a round's members were visited (会员客户的100%的回访).

    Attributes:
        round: the days of the round.
        rate: visited members / members, exactly (1 when there are no members).
        visited: ids of members with a complete, reached visit in the round.
        not_visited: ids of the members still to visit.
        target: the policy's required share.

    Raises:
        InexactNumberError: ``rate`` or ``target`` is not a ``Fraction``.
    """

    round: DateRange
    rate: Fraction = attrs.field(validator=exact_fraction)
    visited: tuple[str, ...]
    not_visited: tuple[str, ...]
    target: Fraction = attrs.field(validator=exact_fraction)

    @property
    def met(self) -> bool:
        """Whether the round reached the policy's target."""
        return self.rate >= self.target


def coverage(
    members: Iterable[Customer | str],
    records: Iterable[VisitRecord],
    round: DateRange,  # noqa: A002 - the seed's word for a visiting round
    policy: VisitPolicy,
    calendar: WorkCalendar,
    *,
    as_of: dt.datetime | None = None,
) -> Coverage:
    """The share of ``members`` visited in ``round``, as an exact fraction.

    A member counts as visited when a record in the round (by its local date on
    ``calendar``) reached them and is complete under ``policy``
    (`VisitRecord.counts_as_contact`).

    Examples:
        >>> import pendulum
        >>> from keyaccount.calendar import WorkCalendar
        >>> when = pendulum.datetime(2026, 3, 2, 10, tz="Asia/Shanghai")
        >>> done = VisitRecord("v1", "m1", when, by="s1", outcome=Outcome.SATISFIED, notes="ok")
        >>> day = DateRange(when.date(), when.date())
        >>> result = coverage(["m1", "m2", "m3"], [done], day, VisitPolicy(), WorkCalendar.china())
        >>> result.rate, result.not_visited
        (Fraction(1, 3), ('m2', 'm3'))

    Args:
        members: the members of the round (see `members_of`), or their ids.
        records: the visit records.
        round: the days of the round.
        policy: says which records are complete, and the target share.
        calendar: the calendar whose time zone gives each record's local date.
        as_of: the coverage as it stood at that instant: records dated after it are
            ignored. ``None``: every record counts.

    Raises:
        NaiveDatetimeError: ``as_of`` has no timezone.
    """
    until = None if as_of is None else to_instant(as_of, "as_of")
    ids = sorted({m if isinstance(m, str) else m.id for m in members})
    wanted = set(ids)
    visited = {
        r.customer_id
        for r in records
        if r.customer_id in wanted
        and (until is None or not earlier(until, r.at))
        and _local_date(r, calendar) in round
        and r.counts_as_contact(policy)
    }
    rate = Fraction(len(visited), len(ids)) if ids else Fraction(1)
    return Coverage(
        round,
        rate,
        tuple(i for i in ids if i in visited),
        tuple(i for i in ids if i not in visited),
        Fraction(policy.member_coverage) / 100,
    )


# --------------------------------------------------------------------------- summary


@attrs.frozen
class IncompleteRecord:
    """A record that lacks what the policy requires (必须保证回访信息的完整记录)."""

    record_id: str
    customer_id: str
    missing: tuple[str, ...]


@attrs.frozen
class VisitSummary:
    """The return-visit summary report (《回访总结报告》) of a period.

    Attributes:
        period: the days covered.
        total: records in the period.
        by_outcome: counts by outcome, ``None`` for records without one.
        by_channel: counts by channel.
        satisfaction_rate: satisfied / (satisfied + neutral + unsatisfied) among
            complete records, exactly; ``None`` when nobody answered.
        needs_follow_up: customers with an unsatisfied answer or a follow-up mark
            (不满意 → 改进), sorted.
        incomplete: records that lack required fields.

    Raises:
        InexactNumberError: ``satisfaction_rate`` is neither a ``Fraction`` nor ``None``.
    """

    period: DateRange
    total: int
    by_outcome: tuple[tuple[Outcome | None, int], ...]
    by_channel: tuple[tuple[Channel, int], ...]
    satisfaction_rate: Fraction | None = attrs.field(
        validator=attrs.validators.optional(exact_fraction)
    )
    needs_follow_up: tuple[str, ...]
    incomplete: tuple[IncompleteRecord, ...]

    def count(self, key: Outcome | Channel | None) -> int:
        """The number of records with that outcome or channel."""
        table = self.by_channel if isinstance(key, Channel) else self.by_outcome
        return next((n for k, n in table if k is key), 0)

    def render(self) -> str:
        """The report as text."""
        lines = [f"回访总结报告 {self.period}: {self.total} record(s)"]
        lines.append(
            "by outcome: "
            + ", ".join(f"{k.label if k else '未记录'} {n}" for k, n in self.by_outcome)
        )
        lines.append("by channel: " + ", ".join(f"{k.label} {n}" for k, n in self.by_channel))
        rate = self.satisfaction_rate
        if rate is None:
            lines.append("satisfaction (complete answered records): n/a")
        else:
            percent = Decimal(rate.numerator * 100) / Decimal(rate.denominator)
            lines.append(
                f"satisfaction (complete answered records): {rate} "
                f"({percent.quantize(Decimal('0.1'))}%)"
            )
        lines.append("needs follow-up: " + (", ".join(self.needs_follow_up) or "none"))
        lines.append(f"incomplete records: {len(self.incomplete)}")
        lines.extend(
            f"  - {i.record_id} ({i.customer_id}): missing {', '.join(i.missing)}"
            for i in self.incomplete
        )
        return "\n".join(lines)


def visit_summary(
    records: Iterable[VisitRecord],
    period: DateRange,
    policy: VisitPolicy,
    calendar: WorkCalendar,
) -> VisitSummary:
    """The return-visit summary report of ``period`` (by each record's local date).

    Counts by outcome and channel, the satisfaction rate over complete answered
    records, the customers needing improvement follow-up, and every incomplete record
    (reported, not silently accepted).

    Args:
        records: the visit records.
        period: the days the report covers.
        policy: says which records are complete.
        calendar: the calendar whose time zone gives each record's local date.
    """
    chosen = sorted(
        (r for r in records if _local_date(r, calendar) in period), key=lambda r: (r.at, r.id)
    )
    outcomes = Counter(r.outcome for r in chosen)
    channels = Counter(r.channel for r in chosen)
    lacking = ((r, r.missing(policy)) for r in chosen)
    incomplete = tuple(IncompleteRecord(r.id, r.customer_id, m) for r, m in lacking if m)
    broken = {i.record_id for i in incomplete}
    answered = [r for r in chosen if r.id not in broken and r.outcome in _ANSWERS]
    satisfied = sum(1 for r in answered if r.outcome is Outcome.SATISFIED)
    follow = sorted(
        {r.customer_id for r in chosen if r.outcome is Outcome.UNSATISFIED or r.follow_up}
    )
    order: list[Outcome | None] = [*Outcome, None]
    return VisitSummary(
        period,
        len(chosen),
        tuple((k, outcomes[k]) for k in order if outcomes[k]),
        tuple((k, channels[k]) for k in Channel if channels[k]),
        Fraction(satisfied, len(answered)) if answered else None,
        tuple(follow),
        incomplete,
    )
