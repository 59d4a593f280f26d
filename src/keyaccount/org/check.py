"""What is wrong with this chart? `check_org` and the `Finding`s it returns.

`check_org` reports every problem of a chart (and of the delegations given), not just
the first, each as a `Finding` with a stable `FindingCode`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from decimal import Decimal

import attrs

from keyaccount.errors import InvalidArgumentTypeError, KeyAccountError
from keyaccount.money import Money
from keyaccount.org.authority import in_scope
from keyaccount.org.chart import OrgChart
from keyaccount.org.model import Position
from keyaccount.org.rights import APPROVING_KINDS, Authority, AuthorityKind, Delegation, Scope

__all__ = ["Finding", "FindingCode", "check_org"]


class FindingCode(enum.StrEnum):
    """The kind of problem a `Finding` reports; the value is the stable wire code."""

    MISSING_SUPERIOR = "missing-superior"
    UNKNOWN_DEPARTMENT = "unknown-department"
    CYCLE = "cycle"
    NO_TOP = "no-top"
    MULTIPLE_TOPS = "multiple-tops"
    DUTY_SHARES = "duty-shares"
    LIMIT_EXCEEDS_SUPERIOR = "limit-exceeds-superior"
    LIMIT_WITHOUT_BACKSTOP = "limit-without-backstop"
    UNDECIDED_PROPOSAL = "undecided-proposal"
    UNKNOWN_SCOPE_POSITION = "unknown-scope-position"
    DELEGATION_TOO_WIDE = "delegation-too-wide"
    INERT_RIGHT = "inert-right"


@attrs.frozen
class Finding:
    """One problem found by `check_org`.

    Attributes:
        code: the kind of problem (`FindingCode.CYCLE`, `FindingCode.DUTY_SHARES` ...);
            its value is a stable identifier (``cycle``, ``duty-shares`` ...).
        message: what is wrong, in words.
        position: the position it concerns, if any.
    """

    code: FindingCode
    message: str
    position: str | None = None

    def __str__(self) -> str:
        where = f" [{self.position}]" if self.position else ""
        return f"{self.code.value}{where}: {self.message}"


def _limit_value(limit: Money | None) -> tuple[int, Decimal]:
    """Sort key: no limit is above every limit."""
    return (1, Decimal(0)) if limit is None else (0, limit.amount)


def _safe_chain(chart: OrgChart, position_id: str) -> tuple[Position, ...]:
    """The chain of command, or nothing where the lines are broken (reported elsewhere)."""
    try:
        return chart.chain_of_command(position_id)
    except KeyAccountError:
        return ()


def check_org(chart: OrgChart, delegations: Iterable[Delegation] = ()) -> tuple[Finding, ...]:
    """Every problem in ``chart`` (and the given delegations), not just the first.

    Examples:
        >>> from keyaccount import reference
        >>> check_org(reference.load("sales-management"))
        ()

    Findings, each with a stable `FindingCode` (its value in brackets):

    * ``missing-superior``: a position reports to a position not in the chart.
    * ``unknown-department``: a position names a department the chart does not list.
    * ``cycle``: reporting lines that loop.
    * ``no-top`` / ``multiple-tops``: the chart does not have exactly one top position.
    * ``duty-shares``: a position's duty time shares do not add up to 100 (or only some
      duties have one).
    * ``limit-exceeds-superior``: a limited right whose nearest holder above has a lower limit.
    * ``limit-without-backstop``: a limited right nobody above holds, so larger amounts
      have no approver.
    * ``undecided-proposal``: a proposal or nomination right on a subject nobody above decides.
    * ``unknown-scope-position``: a scope names a position not in the chart.
    * ``delegation-too-wide``: a delegation grants more than its delegator holds, or is
      otherwise malformed.
    * ``inert-right``: an approving right (approve, decide) held only within a range
      (在权限范围内, ``within_range_only``) whose range is not configured (no ``limit``):
      it covers no amount, so no approval route ever stops at it.

    Args:
        chart: the org chart.
        delegations: delegations (授权) to check against the chart.

    Returns:
        Every finding, in the order: reporting lines, tops, then position by position,
        then the delegations.

    Raises:
        InvalidArgumentTypeError: ``chart`` is not an `OrgChart`, or ``delegations`` not
            an iterable of `Delegation`.
    """
    if not isinstance(chart, OrgChart):
        raise InvalidArgumentTypeError(
            f"chart must be an OrgChart (e.g. reference.load(name)), got {type(chart).__name__}"
        )
    if isinstance(delegations, Delegation) or not isinstance(delegations, Iterable):
        raise InvalidArgumentTypeError("delegations must be an iterable of Delegation")
    delegations = tuple(delegations)
    if not all(isinstance(d, Delegation) for d in delegations):
        raise InvalidArgumentTypeError("delegations must be an iterable of Delegation")
    findings: list[Finding] = []
    ids = {p.id for p in chart.positions}
    department_ids = {d.id for d in chart.departments}
    for position in chart.positions:
        if position.superior is not None and position.superior not in ids:
            findings.append(
                Finding(
                    FindingCode.MISSING_SUPERIOR,
                    f"{position.id} reports to {position.superior!r}, which is not in the chart",
                    position.id,
                )
            )
        if department_ids and position.department not in department_ids:
            findings.append(
                Finding(
                    FindingCode.UNKNOWN_DEPARTMENT,
                    f"{position.id} names department {position.department!r}, which is not listed",
                    position.id,
                )
            )
    findings.extend(_cycle_findings(chart))
    tops = chart.tops()
    if not tops:
        findings.append(
            Finding(FindingCode.NO_TOP, "no position is at the top (every position has a superior)")
        )
    elif len(tops) > 1:
        findings.append(
            Finding(
                FindingCode.MULTIPLE_TOPS,
                f"{len(tops)} positions have no superior: {', '.join(p.id for p in tops)}",
            )
        )
    for position in chart.positions:
        findings.extend(_share_findings(position))
        findings.extend(_authority_findings(chart, position, ids))
    for delegation in delegations:
        findings.extend(_delegation_findings(chart, delegation))
    return tuple(findings)


def _cycle_findings(chart: OrgChart) -> list[Finding]:
    by_id = {p.id: p for p in chart.positions}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    findings: list[Finding] = []
    for start in by_id:
        path: list[str] = []
        current: str | None = start
        while current is not None and current in by_id and state.get(current) is None:
            state[current] = 1
            path.append(current)
            current = by_id[current].superior
        if current is not None and state.get(current) == 1:
            loop = path[path.index(current) :]
            findings.append(
                Finding(
                    FindingCode.CYCLE,
                    "reporting lines loop: " + " -> ".join([*loop, current]),
                    min(loop),
                )
            )
        for member in path:
            state[member] = 2
    return findings


def _share_findings(position: Position) -> list[Finding]:
    shares = [d.time_share for d in position.job.duties]
    given = [s for s in shares if s is not None]
    if not given:
        return []
    if len(given) != len(shares):
        return [
            Finding(
                FindingCode.DUTY_SHARES,
                f"{len(shares) - len(given)} of {len(shares)} duties have no time share",
                position.id,
            )
        ]
    findings = []
    if any(s <= 0 for s in given):
        findings.append(
            Finding(FindingCode.DUTY_SHARES, "a duty's time share is not positive", position.id)
        )
    total = sum(given, Decimal(0))
    if total != 100:
        findings.append(
            Finding(
                FindingCode.DUTY_SHARES,
                "duty time shares add up to "
                f"{' + '.join(str(s) for s in given)} = {total}, not 100",
                position.id,
            )
        )
    return findings


def _authority_findings(chart: OrgChart, position: Position, ids: set[str]) -> list[Finding]:
    findings: list[Finding] = []
    above = _safe_chain(chart, position.id)
    for authority in position.authorities:
        unknown = [p for p in authority.scope_positions if p not in ids]
        if unknown:
            findings.append(
                Finding(
                    FindingCode.UNKNOWN_SCOPE_POSITION,
                    f"{authority.title()} names unknown position(s) {', '.join(unknown)}",
                    position.id,
                )
            )
        if authority.scope is Scope.POSITIONS and not authority.scope_positions:
            findings.append(
                Finding(
                    FindingCode.UNKNOWN_SCOPE_POSITION,
                    f"{authority.describe()} has scope 'positions' but names none",
                    position.id,
                )
            )
        if (
            authority.within_range_only
            and authority.limit is None
            and authority.kind in APPROVING_KINDS
        ):
            findings.append(
                Finding(
                    FindingCode.INERT_RIGHT,
                    f"{authority.title()} holds only within a range (在权限范围内) that is "
                    "not configured, so it covers no amount; give it a limit",
                    position.id,
                )
            )
        if authority.kind.advises:
            findings.extend(_proposal_findings(chart, position, authority, above))
        if authority.limit is not None:
            findings.extend(_limit_findings(position, authority, above))
    return findings


def _proposal_targets(chart: OrgChart, position: Position, authority: Authority) -> list[str]:
    """The positions a person-scoped proposal is about (empty for subject-level rights)."""
    if authority.scope is Scope.DIRECT_SUBORDINATES:
        return [p.id for p in chart.subordinates(position.id)]
    if authority.scope is Scope.ALL_SUBORDINATES:
        return [p.id for p in chart.subordinates(position.id, direct=False)]
    if authority.scope is Scope.POSITIONS:
        return [p for p in authority.scope_positions if p in chart]
    return []


def _proposal_findings(
    chart: OrgChart, position: Position, authority: Authority, above: tuple[Position, ...]
) -> list[Finding]:
    """A proposal or nomination needs a decider above whose scope reaches what it is about.

    For a right over people (subordinates, named positions) every such person must be
    within the scope of some deciding right above: a supervisor's reward proposal for
    its staff is not decided by a manager whose 奖惩权 covers only its direct subordinates.
    """
    deciders = [
        (upper, a)
        for upper in above
        for a in upper.authorities
        if a.subject == authority.subject and a.kind.decides
    ]
    if not deciders:
        return [
            Finding(
                FindingCode.UNDECIDED_PROPOSAL,
                f"{authority.title()}: nobody above {position.id} decides {authority.subject!r}",
                position.id,
            )
        ]
    try:
        targets = _proposal_targets(chart, position, authority)
        unreached = [
            target
            for target in targets
            if not any(in_scope(chart, upper, a, chart.position(target)) for upper, a in deciders)
        ]
    except KeyAccountError:  # broken reporting lines are reported as such elsewhere
        return []
    if not unreached:
        return []
    return [
        Finding(
            FindingCode.UNDECIDED_PROPOSAL,
            f"{authority.title()}: no deciding right above {position.id} on "
            f"{authority.subject!r} reaches {', '.join(unreached)}",
            position.id,
        )
    ]


def _same_right(a: AuthorityKind, b: AuthorityKind) -> bool:
    """Approve and decide both settle an amount; otherwise a right is only its own kind."""
    return a is b or (a in APPROVING_KINDS and b in APPROVING_KINDS)


def _limit_findings(
    position: Position, authority: Authority, above: tuple[Position, ...]
) -> list[Finding]:
    for upper in above:
        same = [
            a
            for a in upper.authorities
            if a.subject == authority.subject and _same_right(a.kind, authority.kind)
        ]
        if not same:
            continue
        best = max(same, key=lambda a: _limit_value(a.limit))
        if best.limit is None or authority.limit is None:
            return []
        if best.limit.currency != authority.limit.currency:
            return [
                Finding(
                    FindingCode.LIMIT_EXCEEDS_SUPERIOR,
                    f"{authority.describe()} is in {authority.limit.currency} but {upper.id}'s "
                    f"limit is in {best.limit.currency}; they cannot be compared without rates",
                    position.id,
                )
            ]
        if best.limit < authority.limit:
            return [
                Finding(
                    FindingCode.LIMIT_EXCEEDS_SUPERIOR,
                    f"{position.id} may {authority.kind.value} {authority.subject} up to "
                    f"{authority.limit}, more than {upper.id} above it ({best.limit})",
                    position.id,
                )
            ]
        return []
    return [
        Finding(
            FindingCode.LIMIT_WITHOUT_BACKSTOP,
            f"{position.id} may {authority.kind.value} {authority.subject} up to "
            f"{authority.limit}, and nobody above holds that right for larger amounts",
            position.id,
        )
    ]


def _delegation_findings(chart: OrgChart, delegation: Delegation) -> list[Finding]:
    where = delegation.delegate
    findings = [
        Finding(
            FindingCode.DELEGATION_TOO_WIDE, f"delegation names unknown position {end!r}", where
        )
        for end in (delegation.delegator, delegation.delegate)
        if end not in chart
    ]
    if findings:
        return findings
    if delegation.delegator == delegation.delegate:
        findings.append(
            Finding(FindingCode.DELEGATION_TOO_WIDE, "a position delegates to itself", where)
        )
    if delegation.valid_until <= delegation.valid_from:
        findings.append(
            Finding(FindingCode.DELEGATION_TOO_WIDE, "the delegation ends before it starts", where)
        )
    held = chart.position(delegation.delegator).authorities
    for kind in sorted(delegation.kinds, key=lambda k: k.value):
        for subject in sorted(delegation.subjects):
            mine = [a for a in held if a.kind is kind and a.subject == subject]
            if not mine:
                findings.append(
                    Finding(
                        FindingCode.DELEGATION_TOO_WIDE,
                        f"{delegation.delegator} delegates {kind.value} {subject}, "
                        f"which it does not hold",
                        where,
                    )
                )
                continue
            best = max(mine, key=lambda a: _limit_value(a.limit))
            if best.limit is None:
                continue
            if delegation.limit is None or (
                delegation.limit.currency == best.limit.currency and delegation.limit > best.limit
            ):
                findings.append(
                    Finding(
                        FindingCode.DELEGATION_TOO_WIDE,
                        f"the delegation's limit on {kind.value} {subject} "
                        f"({delegation.limit or 'none'}) exceeds {delegation.delegator}'s "
                        f"own ({best.limit})",
                        where,
                    )
                )
    return findings
