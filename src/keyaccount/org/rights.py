"""What a position may do: kinds of right, their scopes, authorities and delegations.

An `Authority` is one right (权限) a position holds over a subject, with the scope it
holds over and the limit it covers. A `Delegation` (授权) lends some of one position's
rights to another for a while. The rules that read them (`can`, `approval_route`) live
in `keyaccount.org.authority` and `keyaccount.org.route`.

Examples:
    >>> AuthorityKind.APPROVE.label, AuthorityKind.APPROVE.decides, AuthorityKind.PROPOSE.advises
    ('审批权', True, True)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Final

import attrs
import pendulum

from keyaccount._fields import (
    LabelledEnum,
    earlier,
    instant,
    optional_non_negative_money,
    text,
    to_instant,
)
from keyaccount.errors import InvalidArgumentTypeError, InvalidDateRangeError
from keyaccount.money import Money

__all__ = [
    "APPROVING_KINDS",
    "DECIDING_KINDS",
    "Authority",
    "AuthorityKind",
    "Delegation",
    "Scope",
]


class AuthorityKind(LabelledEnum):
    """The kinds of right a position can hold, with their Chinese labels (DOMAIN.md §2)."""

    FORMULATE = "formulate", "制定权"
    DRAFT = "draft", "拟定权"
    PARTICIPATE = "participate", "参与权"
    PROPOSE = "propose", "建议权"
    NOMINATE = "nominate", "提名权"
    REVIEW = "review", "审核权"
    APPROVE = "approve", "审批权"
    DECIDE = "decide", "决定权"
    VETO = "veto", "否决权"
    APPOINT = "appoint", "聘任权"
    DISMISS = "dismiss", "解聘权"
    APPRAISE = "appraise", "考核权"
    REWARD_PUNISH = "reward-punish", "奖惩权"
    ASSIGN = "assign", "分配权"
    ARBITRATE = "arbitrate", "裁决权"
    DIRECT = "direct", "指挥权"
    SUPERVISE = "supervise", "监督权"
    SIGN = "sign", "签订权"
    REPRESENT = "represent", "对外联络权"
    BE_INFORMED = "be-informed", "知情权"
    USE = "use", "使用权"

    @property
    def decides(self) -> bool:
        """Whether the right settles a matter (approve, decide, appoint, dismiss, reward/punish).

        A proposal or nomination only asks someone who holds such a right.
        """
        return self in DECIDING_KINDS

    @property
    def advises(self) -> bool:
        """Whether the right only puts something forward (propose, nominate)."""
        return self in (AuthorityKind.PROPOSE, AuthorityKind.NOMINATE)


#: Rights that settle a matter; a proposal or nomination needs one of these above it.
DECIDING_KINDS: Final = frozenset(
    {
        AuthorityKind.APPROVE,
        AuthorityKind.DECIDE,
        AuthorityKind.APPOINT,
        AuthorityKind.DISMISS,
        AuthorityKind.REWARD_PUNISH,
    }
)
#: Rights that approve a request with an amount; what `approval_route` looks for.
APPROVING_KINDS: Final = (AuthorityKind.APPROVE, AuthorityKind.DECIDE)


class Scope(LabelledEnum):
    """Over whom (or what) a right holds, with the Chinese wording the seeds use."""

    SELF = "self", "本人"
    DIRECT_SUBORDINATES = "direct-subordinates", "直接下级"
    ALL_SUBORDINATES = "all-subordinates", "所属下级"
    DEPARTMENT = "department", "部门内"
    COMPANY = "company", "公司范围"
    POSITIONS = "positions", "指定岗位"


_Validator = Callable[[object, "attrs.Attribute[Any]", Any], None]


def _of_type(expected: type[object]) -> _Validator:
    """attrs validator: an instance of ``expected`` (a kind, a scope, a flag)."""

    def check(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, expected):
            raise InvalidArgumentTypeError(
                f"{attribute.name} must be a {expected.__name__}, got {type(value).__name__}"
            )

    return check


def _set_of(member: type[object]) -> _Validator:
    """attrs validator: a frozenset of ``member`` instances (a delegation's kinds, subjects)."""

    def check(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, frozenset) or not all(isinstance(m, member) for m in value):
            raise InvalidArgumentTypeError(
                f"{attribute.name} must be a frozenset of {member.__name__}, "
                f"got {type(value).__name__}"
            )

    return check


@attrs.frozen
class Authority:
    """A right held by a position over a subject (权限).

    Attributes:
        kind: what the holder may do (approve, propose, veto ...).
        subject: what it is about, a slug shared across the chart (``customer-credit``).
        label: the seed's words for the right (``客户信用额审批权(货款信用额度20000元)``).
        scope: over whom it holds; ``POSITIONS`` lists them in ``scope_positions``.
        limit: the highest amount covered (inclusive); ``None`` covers every amount.
        within_budget_only: holds only for spending inside the approved budget (预算内).
        within_range_only: the seed says "在权限范围内": without a configured ``limit``
            the right covers no amount at all.
        assumption: set when the right is not in the source but was assumed (and why).

    Raises:
        FloatMoneyError: ``limit`` is not `Money` (a float, a bare number).
        InvalidAmountError: ``limit`` is negative (a limit of zero covers only zero).
        InvalidArgumentTypeError: ``kind`` is not an `AuthorityKind`, ``scope`` not a
            `Scope`, or a condition not a bool.
        InvalidTextError: ``subject`` is blank or not text.
    """

    kind: AuthorityKind = attrs.field(validator=_of_type(AuthorityKind))
    subject: str = attrs.field(validator=text)
    label: str = ""
    scope: Scope = attrs.field(default=Scope.DEPARTMENT, validator=_of_type(Scope))
    scope_positions: tuple[str, ...] = ()
    limit: Money | None = attrs.field(default=None, validator=optional_non_negative_money)
    within_budget_only: bool = attrs.field(default=False, validator=_of_type(bool))
    within_range_only: bool = attrs.field(default=False, validator=_of_type(bool))
    assumption: str | None = None

    def title(self) -> str:
        """The seed's words for the right if it has them, else its description.

        An assumed right (one the source does not state) says so: ``... (assumed)``.
        """
        text = self.label or self.describe()
        return f"{text} (assumed)" if self.assumption else text

    def describe(self) -> str:
        """A one-line English description, e.g. ``approve customer-credit up to 20000 CNY``.

        Examples:
            >>> Authority(AuthorityKind.APPROVE, "customer-credit", limit=Money(20000)).describe()
            'approve customer-credit up to 20000 CNY'
        """
        text = f"{self.kind.value} {self.subject}"
        if self.limit is not None:
            text += f" up to {self.limit}"
        elif self.within_range_only:
            text += " within a configured range"
        if self.within_budget_only:
            text += " (within budget only)"
        if self.scope is Scope.POSITIONS:
            text += f" over {', '.join(self.scope_positions)}"
        elif self.scope is not Scope.DEPARTMENT:
            text += f" ({self.scope.value})"
        return text


@attrs.frozen
class Delegation:
    """A temporary grant (授权) of some of one position's rights to another.

    The delegate may exercise the listed ``kinds`` on the listed ``subjects`` within
    ``[valid_from, valid_until)``, up to ``limit`` and never beyond what the delegator
    itself holds.

    Raises:
        NaiveDatetimeError: a validity bound has no timezone.
        NotAnInstantError: a validity bound is not a datetime.
        InvalidDateRangeError: ``valid_until`` is not after ``valid_from``.
        FloatMoneyError: ``limit`` is not `Money`.
        InvalidAmountError: ``limit`` is negative.
        InvalidArgumentTypeError: the delegator or delegate is not a str (a position
            id), ``kinds`` not a frozenset of `AuthorityKind`, or ``subjects`` not a
            frozenset of str.
    """

    delegator: str = attrs.field(validator=_of_type(str))
    delegate: str = attrs.field(validator=_of_type(str))
    kinds: frozenset[AuthorityKind] = attrs.field(validator=_set_of(AuthorityKind))
    subjects: frozenset[str] = attrs.field(validator=_set_of(str))
    valid_from: pendulum.DateTime = attrs.field(converter=instant)
    valid_until: pendulum.DateTime = attrs.field(converter=instant)
    limit: Money | None = attrs.field(default=None, validator=optional_non_negative_money)
    note: str = ""

    @valid_until.validator
    def _check_validity(self, _attribute: attrs.Attribute[Any], value: pendulum.DateTime) -> None:
        if not earlier(self.valid_from, value):
            raise InvalidDateRangeError(
                f"a delegation must end after it starts: valid_until {value} is not after "
                f"valid_from {self.valid_from}"
            )

    def is_active(self, as_of: dt.datetime) -> bool:
        """Whether ``as_of`` lies in ``[valid_from, valid_until)``.

        Raises:
            NaiveDatetimeError: ``as_of`` has no timezone.
        """
        at = to_instant(as_of, "as_of")
        return not earlier(at, self.valid_from) and earlier(at, self.valid_until)

    def covers(self, kind: AuthorityKind, subject: str) -> bool:
        """Whether the grant names this kind and subject."""
        return kind in self.kinds and subject in self.subjects
