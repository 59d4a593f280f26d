"""The complaint policy: the targets of each kind of request, the clock, who escalates.

A `ComplaintPolicy` is data (load it from TOML or JSON with `keyaccount.io`): per kind
and severity three `SlaTarget`s (acceptance, resolution, follow-up), the statuses that
stop the clock, and the positions requests escalate to.

Examples:
    >>> policy = ComplaintPolicy.default()
    >>> policy.rule_for(RequestKind.COMPLAINT, Severity.MAJOR).acceptance.within == WorkingHours(1)
    True
    >>> str(policy.major_escalation)
    'crm-director with 一汽-大众'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from keyaccount._fields import optional_text, text
from keyaccount.calendar import Days, Hours, Period, Workdays, WorkingHours
from keyaccount.complaints.events import ComplaintStatus, RequestKind, Severity
from keyaccount.complaints.lifecycle import SPAN_STATUSES
from keyaccount.errors import InvalidPeriodError, InvalidPolicyError
from keyaccount.visits.policy import RETURN_VISIT_WITHIN

__all__ = ["ComplaintPolicy", "EscalationTarget", "SlaTarget", "TargetRule"]


def _warning_period(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, (WorkingHours, Hours)):
        raise InvalidPeriodError(
            f"{attribute.name} is a time left before the breach: use working hours or hours, "
            f"got {value!r}"
        )


def _any_period(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, (Days, Workdays, Hours, WorkingHours)):
        raise InvalidPeriodError(f"{attribute.name} must be a period, got {value!r}")


def _one_working_hour() -> Period:
    return WorkingHours(1)


@attrs.frozen
class SlaTarget:
    """One service-level target: done ``within`` a period, warn once ``warn`` is left.

    Attributes:
        within: the period, e.g. ``WorkingHours(4)`` or ``Workdays(3)``.
        warn: the target is *nearing breach* once the time left on its clock is at most
            this (``WorkingHours`` or ``Hours``).

    Raises:
        InvalidPeriodError: ``within`` is not a period, or ``warn`` is not an hour period.
    """

    within: Period = attrs.field(validator=_any_period)
    warn: Period = attrs.field(factory=_one_working_hour, validator=_warning_period)


@attrs.frozen
class TargetRule:
    """The three targets of one kind of request (and severity; ``None`` for any severity).

    Attributes:
        kind: the request kind.
        severity: the severity, or ``None`` for every severity without a rule of its own.
        acceptance: from receipt to acceptance (即时受理).
        resolution: from receipt (or reopening) to resolution (迅速有结果).
        follow_up: from resolution to the return visit (处理后有回访).
    """

    kind: RequestKind
    acceptance: SlaTarget
    resolution: SlaTarget
    follow_up: SlaTarget
    severity: Severity | None = None


@attrs.frozen
class EscalationTarget:
    """Who a request escalates to: a position id, optionally with an outside party.

    Raises:
        InvalidTextError: the position or the outside party is blank.
    """

    position: str = attrs.field(validator=text)
    outside_party: str | None = attrs.field(default=None, validator=optional_text)

    def __str__(self) -> str:
        return self.position + (f" with {self.outside_party}" if self.outside_party else "")


def _rule_index(
    policy: ComplaintPolicy,
) -> Mapping[tuple[RequestKind, Severity], TargetRule]:
    """The rule of every kind and severity; refuses a duplicated or a missing rule."""
    exact: dict[tuple[RequestKind, Severity | None], TargetRule] = {}
    for rule in policy.rules:
        key = (rule.kind, rule.severity)
        if key in exact:
            sev = rule.severity.value if rule.severity else "any severity"
            raise InvalidPolicyError(f"two target rules for {rule.kind.value} / {sev}")
        exact[key] = rule
    index: dict[tuple[RequestKind, Severity], TargetRule] = {}
    missing = []
    for kind in RequestKind:
        for severity in Severity:
            found = exact.get((kind, severity)) or exact.get((kind, None))
            if found is None:
                missing.append(f"{kind.value}/{severity.value}")
            else:
                index[kind, severity] = found
    if missing:
        raise InvalidPolicyError(
            "the policy has no targets for "
            + ", ".join(missing)
            + "; add a rule (severity omitted means every severity)"
        )
    return MappingProxyType(index)


def _to_statuses(value: Iterable[ComplaintStatus]) -> frozenset[ComplaintStatus]:
    statuses = frozenset(value)
    wrong = statuses - SPAN_STATUSES
    if wrong:
        names = ", ".join(sorted(s.value for s in wrong))
        raise InvalidPolicyError(f"only 'paused' and 'escalated' can stop the clock, not {names}")
    return statuses


def _to_rules(value: Iterable[TargetRule]) -> tuple[TargetRule, ...]:
    return tuple(value)


def _positive(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidPolicyError(f"{attribute.name} must be a whole number >= 1, got {value!r}")


@attrs.frozen
class ComplaintPolicy:
    """Targets, clock and escalation rules for requests; load it from TOML or JSON.

    Attributes:
        rules: the targets per kind (and severity); every kind and severity must be covered.
        major_escalation: who a major complaint (重大投诉) goes to, and with whom.
        breach_escalation: who a request goes to when a target is breached or it keeps
            being reopened.
        pausing_statuses: statuses during which the SLA clock stops (``paused``, and
            optionally ``escalated`` while an outside party has it).
        reopen_escalation_after: escalate once a request has been reopened this often.
        name, source: a label and where the values come from.

    Raises:
        InvalidPolicyError: a kind/severity without targets, a duplicated rule, a status
            that cannot stop the clock, a reopen count below 1.
    """

    rules: tuple[TargetRule, ...] = attrs.field(converter=_to_rules)
    major_escalation: EscalationTarget
    breach_escalation: EscalationTarget
    pausing_statuses: frozenset[ComplaintStatus] = attrs.field(
        default=frozenset({ComplaintStatus.PAUSED}), converter=_to_statuses
    )
    reopen_escalation_after: int = attrs.field(default=2, validator=_positive)
    name: str = "custom"
    source: str = ""
    _index: Mapping[tuple[RequestKind, Severity], TargetRule] = attrs.field(
        init=False, repr=False, eq=False, default=attrs.Factory(_rule_index, takes_self=True)
    )

    def rule_for(self, kind: RequestKind, severity: Severity) -> TargetRule:
        """The targets that apply to a request of ``kind`` and ``severity``."""
        return self._index[kind, severity]

    @classmethod
    def default(cls) -> ComplaintPolicy:
        """The seed-flavoured default: accept within hours, resolve fast, visit back in 3 days.

        * Seed ``000_…``: "有投诉即时受理,迅速有结果,处理后有回访" and "必须保证在三天之内回访":
          complaints accepted within 4 working hours (2 urgent, 1 major), resolved within
          16 working hours (8 urgent; 24 for a major complaint handled with the
          manufacturer), visited back within three days (2 urgent, 1 major). 三天 is read
          as it is for every return visit (`keyaccount.visits.RETURN_VISIT_WITHIN`,
          ``Days(3)``): three calendar days, weekends and holidays included, since the
          seed says 三天, not 三个工作日; a company that means working days sets
          ``Workdays(3)`` in both policies.
          Inquiries (咨询) 2 h / 8 h, suggestions (建议) 8 h / 5 working days,
          queries (质疑) like normal complaints.
        * Seed ``004_…``: major complaints go to the 客户关系管理总监 (``crm-director``) to be
          handled together with 一汽-大众 (the manufacturer); breaches and repeated
          reopening go to the 客户管理经理 (``customer-management-manager``), who also
          "组织相关部门对客户投诉进行处理".
        * The clock stops while waiting for the customer; a request reopened twice is
          escalated.

        The hour figures are this library's reading of "at once" and "quickly"; the seeds
        give no numbers except the three days for the return visit.
        """

        def t(within: Period, warn: Period) -> SlaTarget:
            return SlaTarget(within, warn)

        wh, wd = WorkingHours, Workdays
        half = WorkingHours(0, 30)
        back = RETURN_VISIT_WITHIN  # 三天之内回访, read as for every return visit
        return cls(
            rules=(
                TargetRule(
                    RequestKind.COMPLAINT,
                    t(wh(4), wh(1)),
                    t(wh(16), wh(4)),
                    t(back, wh(4)),
                    Severity.NORMAL,
                ),
                TargetRule(
                    RequestKind.COMPLAINT,
                    t(wh(2), half),
                    t(wh(8), wh(2)),
                    t(Days(2), wh(4)),
                    Severity.URGENT,
                ),
                TargetRule(
                    RequestKind.COMPLAINT,
                    t(wh(1), half),
                    t(wh(24), wh(4)),
                    t(Days(1), wh(2)),
                    Severity.MAJOR,
                ),
                TargetRule(RequestKind.INQUIRY, t(wh(2), half), t(wh(8), wh(2)), t(back, wh(4))),
                TargetRule(
                    RequestKind.SUGGESTION, t(wh(8), wh(2)), t(wd(5), wh(8)), t(wd(5), wh(8))
                ),
                TargetRule(RequestKind.QUERY, t(wh(4), wh(1)), t(wh(16), wh(4)), t(back, wh(4))),
            ),
            major_escalation=EscalationTarget("crm-director", "一汽-大众"),
            breach_escalation=EscalationTarget("customer-management-manager"),
            pausing_statuses=frozenset({ComplaintStatus.PAUSED}),
            reopen_escalation_after=2,
            name="seed-default",
            source=(
                "000_… (即时受理, 三天之内回访), 001_… (投诉处理时效), "
                "004_… (重大投诉 with 一汽-大众)"
            ),
        )
