"""Who must chase which overdue invoice now: the dunning (催款) steps and their owners.

Chasing money is a duty in the seeds: 大客户部 "负责大客户续约及催款工作" and the manager
"检查应收账款状况,督促项目收款" (``000_e270730e1905b545.txt``). The seeds give no steps and
no days, so the steps and their offsets are **this library's documented assumption**,
a `DunningPolicy` a company replaces with its own:

| step | default | by |
|---|---|---|
| reminder (提醒) | 1 working day after the due date | the invoice's owner |
| notice (催款通知) | 5 working days after | the invoice's owner |
| manager (经理介入) | 15 working days after | the owner's manager |
| credit hold (暂停信用) | 30 working days after | the owner's manager |

Working days come from the `WorkCalendar` (the n-th working day strictly after the due
date, `WorkCalendar.add_workdays`). For every open item (`open_items`) the latest step
whose day has come at the ``as_of`` local day is due, like a due visit: what to do, by
whom, from when, and why. The owner's manager comes from ``managers`` (staff id to
staff id), which `managers_of` builds from the staff and the chart.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from keyaccount._fields import LabelledEnum
from keyaccount.calendar import WorkCalendar
from keyaccount.customers import Staff
from keyaccount.errors import InvalidPolicyError
from keyaccount.finance._checks import expect
from keyaccount.finance.aging import OpenItem, local_day, open_items
from keyaccount.finance.receivables import Receivables
from keyaccount.money import Money
from keyaccount.org import OrgChart

__all__ = [
    "DEFAULT_DUNNING",
    "DueDunning",
    "DunningAction",
    "DunningPolicy",
    "DunningStep",
    "Responsible",
    "dunning",
    "managers_of",
]


class DunningAction(LabelledEnum):
    """The steps of chasing an overdue invoice."""

    REMINDER = "reminder", "提醒"
    NOTICE = "notice", "催款通知"
    MANAGER = "manager", "经理介入"
    CREDIT_HOLD = "credit-hold", "暂停信用"


class Responsible(LabelledEnum):
    """Who takes a step: the invoice's owner or the owner's manager."""

    OWNER = "owner", "业务员"
    MANAGER = "manager", "上级经理"


def _workdays(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidPolicyError(f"{attribute.name} must be a whole number of working days >= 1")


@attrs.frozen
class DunningStep:
    """One step: an action ``after_workdays`` working days after the due date.

    Attributes:
        action: what to do.
        after_workdays: working days after the due date, 1 or more.
        by: who takes it.
    """

    action: DunningAction
    after_workdays: int = attrs.field(validator=_workdays)
    by: Responsible = Responsible.OWNER


def _as_steps(value: Iterable[DunningStep]) -> tuple[DunningStep, ...]:
    """attrs converter: the steps as a tuple; a non-iterable is refused."""
    if not isinstance(value, Iterable):  # text fails the validator: no DunningStep in it
        raise InvalidPolicyError(f"steps must be DunningSteps, got {type(value).__name__}")
    return tuple(value)


def _steps(_instance: object, _attribute: object, value: tuple[DunningStep, ...]) -> None:
    if not value or not all(isinstance(s, DunningStep) for s in value):
        raise InvalidPolicyError("a dunning policy needs at least one DunningStep")
    for before, after in itertools.pairwise(value):
        if after.after_workdays <= before.after_workdays:
            raise InvalidPolicyError(
                f"dunning steps must come later one after another: {after.action.value} "
                f"({after.after_workdays}) after {before.action.value} ({before.after_workdays})"
            )


@attrs.frozen
class DunningPolicy:
    """The dunning steps, in order (see the module docstring for the default).

    Raises:
        InvalidPolicyError: no steps, or a step not later than the one before.
    """

    steps: tuple[DunningStep, ...] = attrs.field(
        default=(
            DunningStep(DunningAction.REMINDER, 1),
            DunningStep(DunningAction.NOTICE, 5),
            DunningStep(DunningAction.MANAGER, 15, Responsible.MANAGER),
            DunningStep(DunningAction.CREDIT_HOLD, 30, Responsible.MANAGER),
        ),
        converter=_as_steps,
        validator=_steps,
    )


#: The library's assumed steps (the seeds give none).
DEFAULT_DUNNING: Final = DunningPolicy()


@attrs.frozen
class DueDunning:
    """A dunning step that is due: which invoice, what to do, by whom, from when, why.

    Attributes:
        invoice_id: the overdue invoice.
        customer_id: the customer to chase.
        action: the step due.
        due_on: the working day the step fell due.
        owner: the staff id who must take it; ``None`` when unknown (no owner, or no
            manager known for the owner).
        outstanding: what the invoice still owes.
        days_overdue: calendar days past its due date (延误天数).
        reason: in words.
    """

    invoice_id: str
    customer_id: str
    action: DunningAction
    due_on: dt.date
    owner: str | None
    outstanding: Money
    days_overdue: int
    reason: str


def managers_of(staff: Iterable[Staff], chart: OrgChart) -> Mapping[str, str]:
    """Each staff member's manager: an active person holding their position's superior.

    When several people hold that position, the first by staff id is taken.

    Raises:
        UnknownPositionError: a staff member's position is not in the chart.
    """
    people = sorted(staff, key=lambda s: s.id)
    holders: dict[str, str] = {}
    for person in people:
        if person.active:
            holders.setdefault(person.position, person.id)
    found: dict[str, str] = {}
    for person in people:
        superior = chart.superior(person.position)
        if superior is not None and superior.id in holders:
            found[person.id] = holders[superior.id]
    return found


def _due(
    item: OpenItem,
    policy: DunningPolicy,
    calendar: WorkCalendar,
    today: dt.date,
    managers: Mapping[str, str],
) -> DueDunning | None:
    """The latest step of ``policy`` whose day has come for ``item``, if any."""
    reached: tuple[DunningStep, dt.date] | None = None
    for step in policy.steps:
        day = calendar.add_workdays(item.due_on, step.after_workdays)
        if day > today:
            break
        reached = (step, dt.date(day.year, day.month, day.day))
    if reached is None:
        return None
    step, step_day = reached
    owner = item.owner
    who = "the owner"
    if step.by is Responsible.MANAGER:
        owner = None if item.owner is None else managers.get(item.owner)
        who = f"the manager of {item.owner}" if item.owner else "the manager"
    reason = (
        f"invoice {item.invoice_id} of {item.customer_id} was due {item.due_on} and still owes "
        f"{item.outstanding}: {step.action.label} ({step.action.value}) by {who}, "
        f"{step.after_workdays} working days after the due date"
    )
    if owner is None:
        reason += "; nobody known to take it"
    return DueDunning(
        item.invoice_id,
        item.customer_id,
        step.action,
        step_day,
        owner,
        item.outstanding,
        item.days_overdue,
        reason,
    )


def dunning(
    receivables: Receivables,
    policy: DunningPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
    *,
    managers: Mapping[str, str] | None = None,
) -> tuple[DueDunning, ...]:
    """Every dunning step due at ``as_of``: the latest step reached per open invoice.

    Examples:
        >>> import pendulum
        >>> from keyaccount.finance import Invoice, PaymentTerms
        >>> ledger = Receivables((Invoice("A", "acme", Money(300), dt.date(2026, 3, 2),
        ...                               PaymentTerms(30), owner="wang"),))
        >>> calendar = WorkCalendar.china()
        >>> due = dunning(ledger, DEFAULT_DUNNING, calendar,
        ...               pendulum.datetime(2026, 4, 10, tz="Asia/Shanghai"))
        >>> [(d.action.value, str(d.due_on), d.owner) for d in due]
        [('notice', '2026-04-09', 'wang')]

    Args:
        receivables: the ledger.
        policy: the steps (`DEFAULT_DUNNING`).
        calendar: the working calendar the steps count on; its zone gives the local day.
        as_of: the instant the steps are looked at.
        managers: owner staff id to their manager's staff id (`managers_of`).

    Returns:
        The due steps, by due day then invoice id.

    Raises:
        CalendarCoverageError: a step falls outside the calendar's covered years.
        NaiveDatetimeError: ``as_of`` has no time zone.
    """
    expect(receivables, Receivables, "receivables")
    expect(policy, DunningPolicy, "policy")
    today = local_day(as_of, calendar)
    found = (
        _due(item, policy, calendar, today, managers or {})
        for item in open_items(receivables, calendar, as_of)
        if item.days_overdue > 0
    )
    return tuple(
        sorted((d for d in found if d is not None), key=lambda d: (d.due_on, d.invoice_id))
    )
