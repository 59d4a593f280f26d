"""The member club (客户俱乐部): cards, the points ledger, levels, referrals, qualification.

Seeds: ``004_4f02eb3a82d8f29a.txt`` (客户俱乐部经理, 客户俱乐部专员), ``000_e270730e1905b545.txt``
(the card classes VIP卡 / 至尊卡 / 欢唱卡, 续卡或升级), ``002_6377003afb662ca7.txt``
(集团客户 criteria). Modules:

* `keyaccount.club.policy`: the charter as data (`ClubPolicy`, levels, earning rules);
* `keyaccount.club.cards`: cards issued, reported lost (挂失), replaced (补办), renewed;
* `keyaccount.club.operations`: the ledger's operations and entries;
* `keyaccount.club.levels`: the level rule (rolling window, grace);
* `keyaccount.club.ledger`: the ledger's rules (`Ledger`, `replay_ledger`);
* `keyaccount.club._fold` (private): the fold of a member's operations (`MemberPoints`);
* `keyaccount.club.qualification`: core and group customer reviews (核心客户, 集团客户);
* `keyaccount.club.referrals`: referrals to sales and re-marketing results (再营销成果);
* `keyaccount.club.report`: the club operations report (俱乐部运营报告);
* `keyaccount.club.reminders`: renewal and upgrade reminders (续卡或升级).
"""

from __future__ import annotations

from keyaccount.club.cards import (
    CardEvent,
    CardIssued,
    CardRenewed,
    CardReplaced,
    CardReportedLost,
    Cards,
    CardsReplayed,
    CardState,
    CardStatus,
    Refusal,
    Validity,
    fold_cards,
    record_card_event,
    replay_cards,
)
from keyaccount.club.ledger import (
    Ledger,
    MemberPoints,
    Replayed,
    all_member_points,
    build_ledger,
    check_adjustment,
    member_points,
    replay_ledger,
)
from keyaccount.club.levels import LevelChange
from keyaccount.club.operations import (
    Adjust,
    Earn,
    EntryKind,
    LedgerEntry,
    Operation,
    Redeem,
    Reverse,
)
from keyaccount.club.policy import (
    DEFAULT_CLUB_POLICY,
    ClubPolicy,
    EarnRule,
    LevelBasis,
    LevelRule,
)
from keyaccount.club.qualification import (
    CORE_CUSTOMER_POLICY,
    GROUP_CUSTOMER_POLICY,
    Criterion,
    CriterionResult,
    GroupFacts,
    Measure,
    TierKind,
    TierPolicy,
    TierQualification,
    qualify,
)
from keyaccount.club.referrals import (
    Referral,
    ReferralClose,
    ReferralOutcome,
    ReferralStatus,
    RemarketingReport,
    RemarketingRow,
    remarketing_report,
    track_referrals,
)
from keyaccount.club.reminders import card_expiries, renewal_reminders
from keyaccount.club.report import ClubReport, LevelCount, club_report

__all__ = [
    "CORE_CUSTOMER_POLICY",
    "DEFAULT_CLUB_POLICY",
    "GROUP_CUSTOMER_POLICY",
    "Adjust",
    "CardEvent",
    "CardIssued",
    "CardRenewed",
    "CardReplaced",
    "CardReportedLost",
    "CardState",
    "CardStatus",
    "Cards",
    "CardsReplayed",
    "ClubPolicy",
    "ClubReport",
    "Criterion",
    "CriterionResult",
    "Earn",
    "EarnRule",
    "EntryKind",
    "GroupFacts",
    "Ledger",
    "LedgerEntry",
    "LevelBasis",
    "LevelChange",
    "LevelCount",
    "LevelRule",
    "Measure",
    "MemberPoints",
    "Operation",
    "Redeem",
    "Referral",
    "ReferralClose",
    "ReferralOutcome",
    "ReferralStatus",
    "Refusal",
    "RemarketingReport",
    "RemarketingRow",
    "Replayed",
    "Reverse",
    "TierKind",
    "TierPolicy",
    "TierQualification",
    "Validity",
    "all_member_points",
    "build_ledger",
    "card_expiries",
    "check_adjustment",
    "club_report",
    "fold_cards",
    "member_points",
    "qualify",
    "record_card_event",
    "remarketing_report",
    "renewal_reminders",
    "replay_cards",
    "replay_ledger",
    "track_referrals",
]
