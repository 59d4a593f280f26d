"""Indicators from complaint records: exact values and the ids behind them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyaccount import (
    Complaint,
    ComplaintPolicy,
    Fault,
    FollowUpOutcome,
    Money,
    Rates,
    RequestKind,
    Severity,
    WorkCalendar,
    claims_by_period,
    handling_timeliness,
    nearest_rank,
    reopen_rate,
    resolution_times,
    root_cause_counts,
    satisfaction_rate,
)
from keyaccount.errors import CurrencyMismatchError, InvalidPercentileError
from keyaccount.testing import complaint_histories

CAL = WorkCalendar.china()
POLICY = ComplaintPolicy.default()
H = dt.timedelta(hours=1)
AS_OF = pendulum.datetime(2026, 6, 30, 18, tz="Asia/Shanghai")


def sh(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz="Asia/Shanghai")


def resolved(
    cid: str,
    received_at: pendulum.DateTime,
    resolved_at: pendulum.DateTime,
    *,
    cause: str = "delivery",
    claim: Money | None = None,
) -> Complaint:
    return (
        Complaint.receive(
            cid,
            at=received_at,
            kind=RequestKind.COMPLAINT,
            severity=Severity.NORMAL,
            customer_id="acme",
            channel="电话",
            summary="s",
        )
        .accept(by="cs", at=received_at)
        .resolve(
            resolution="r", fault=Fault.OURS, root_cause=cause, claim_amount=claim, at=resolved_at
        )
    )


# Monday 2026-03-02 09:00 + 16 working hours is Tuesday 18:00.
ON_TIME = resolved("A", sh(2026, 3, 2, 9), sh(2026, 3, 2, 17))  # 7 h (lunch 12-13)
LATE = resolved("B", sh(2026, 3, 2, 9), sh(2026, 3, 4, 10))  # 17 working hours
OPEN = Complaint.receive(
    "C",
    at=sh(2026, 3, 2, 9),
    kind=RequestKind.INQUIRY,
    severity=Severity.NORMAL,
    customer_id="x",
    channel="电话",
    summary="s",
)


def test_handling_timeliness_is_the_exact_share_resolved_within_target() -> None:
    share = handling_timeliness([ON_TIME, LATE, OPEN], POLICY, CAL, AS_OF)
    assert share.value == Fraction(1, 2)
    assert share.hits == ("A",)
    assert share.ids == ("A", "B")  # the open one is not counted
    assert share.label == "投诉处理时效"


def test_a_late_re_resolution_makes_the_complaint_late() -> None:
    reopened = ON_TIME.follow_up(
        outcome=FollowUpOutcome.UNSATISFIED, by="crm", at=sh(2026, 3, 3, 9)
    ).resolve(resolution="r2", fault=Fault.OURS, root_cause="delivery", at=sh(2026, 3, 9, 9))
    share = handling_timeliness([reopened], POLICY, CAL, AS_OF)
    assert share.value == 0


def test_resolution_times_average_and_nearest_rank_90th_percentile() -> None:
    times = resolution_times([ON_TIME, LATE, OPEN], POLICY, CAL, AS_OF)
    assert {t.complaint_id: t.working_time for t in times.times} == {
        "A": 7 * H,
        "B": 17 * H,
    }  # B: Mon 8 h, Tue 8 h, Wed 1 h
    assert times.mean_hours == 12
    assert times.p90 == 17 * H  # rank ceil(0.9 * 2) = 2
    assert times.p90_hours == 17
    assert times.ids == ("A", "B")


def test_paused_time_is_not_resolution_time() -> None:
    c = (
        Complaint.receive(
            "P",
            at=sh(2026, 3, 2, 9),
            kind=RequestKind.COMPLAINT,
            severity=Severity.NORMAL,
            customer_id="acme",
            channel="电话",
            summary="s",
        )
        .accept(by="cs", at=sh(2026, 3, 2, 9))
        .pause(at=sh(2026, 3, 2, 10))
        .resume(at=sh(2026, 3, 2, 14))
        .resolve(resolution="r", fault=Fault.OURS, root_cause="x", at=sh(2026, 3, 2, 15))
    )
    # 09:00-15:00 holds 5 working hours (lunch 12-13); 10:00-14:00 paused holds 3
    times = resolution_times([c], POLICY, CAL, AS_OF).times
    assert {t.complaint_id: t.working_time for t in times} == {"P": 2 * H}


def test_nearest_rank_of_ten_values_is_the_ninth() -> None:
    values = [dt.timedelta(minutes=m) for m in (5, 1, 9, 3, 7, 2, 8, 4, 10, 6)]
    assert nearest_rank(values, 90) == dt.timedelta(minutes=9)
    assert nearest_rank(values, 100) == dt.timedelta(minutes=10)
    assert nearest_rank([dt.timedelta(1)], 90) == dt.timedelta(1)


def test_a_percentile_of_no_values_or_outside_1_to_100_percent_is_refused() -> None:
    with pytest.raises(InvalidPercentileError, match="at least one value"):
        nearest_rank([], 90)
    for percent in (101, 0, -10):  # issue 9: 0 and -10 silently gave the minimum
        with pytest.raises(InvalidPercentileError, match="1-100"):
            nearest_rank([dt.timedelta(2), dt.timedelta(1)], percent)


def test_satisfaction_counts_neutral_as_not_satisfied() -> None:
    happy = ON_TIME.follow_up(outcome=FollowUpOutcome.SATISFIED, by="crm", at=sh(2026, 3, 3, 9))
    so_so = LATE.follow_up(outcome=FollowUpOutcome.NEUTRAL, by="crm", at=sh(2026, 3, 5, 9))
    share = satisfaction_rate([happy, so_so, OPEN], AS_OF)
    assert share.value == Fraction(1, 2)
    assert share.hits == ("A",)
    assert satisfaction_rate([OPEN], AS_OF).value is None


def test_reopen_rate_counts_resolved_complaints_reopened_at_least_once() -> None:
    reopened = LATE.reopen(reason="again", at=sh(2026, 3, 5, 9))
    share = reopen_rate([ON_TIME, reopened, OPEN], AS_OF)
    assert share.value == Fraction(1, 2)
    assert share.hits == ("B",)
    assert reopen_rate([ON_TIME, reopened], sh(2026, 3, 4, 12)).value == 0  # before reopening


def test_claims_by_month_with_their_change_including_empty_months() -> None:
    jan = resolved("J", sh(2026, 1, 5, 9), sh(2026, 1, 5, 15), claim=Money("1000"))
    jan2 = resolved("K", sh(2026, 1, 6, 9), sh(2026, 1, 6, 15), claim=Money("500.50"))
    mar = resolved("M", sh(2026, 3, 2, 9), sh(2026, 3, 2, 15), claim=Money("600"))
    claims = claims_by_period([mar, jan, jan2, OPEN], CAL, AS_OF)
    assert [p.period for p in claims.periods] == ["2026-01", "2026-02", "2026-03"]
    assert [p.total for p in claims.periods] == [Money("1500.50"), Money("0"), Money("600")]
    assert claims.periods[0].change is None
    assert claims.periods[1].change == Money("-1500.50")
    assert claims.periods[1].change_share == -1
    assert claims.periods[2].change_share is None  # after a zero month
    assert claims.periods[0].ids == ("J", "K")
    assert claims.ids == ("J", "K", "M")
    quarters = claims_by_period([mar, jan, jan2], CAL, AS_OF, granularity="quarter")
    assert [(p.period, p.total) for p in quarters.periods] == [("2026Q1", Money("2100.50"))]


def test_claims_in_another_currency_need_explicit_rates() -> None:
    usd = resolved("U", sh(2026, 1, 5, 9), sh(2026, 1, 5, 15), claim=Money("100", "USD"))
    with pytest.raises(CurrencyMismatchError):
        claims_by_period([usd], CAL, AS_OF)
    rates = Rates({("USD", "CNY"): Decimal("7.1")})
    (period,) = claims_by_period([usd], CAL, AS_OF, rates=rates).periods
    assert period.total == Money("710.0")


def test_root_causes_are_counted_most_frequent_first() -> None:
    a = resolved("A", sh(2026, 3, 2, 9), sh(2026, 3, 2, 10), cause="quality")
    b = resolved("B", sh(2026, 3, 2, 9), sh(2026, 3, 2, 10), cause="delivery")
    c = resolved("C", sh(2026, 3, 2, 9), sh(2026, 3, 2, 10), cause="quality")
    counts = root_cause_counts([a, b, c, OPEN], AS_OF)
    assert [(r.cause, r.count, r.ids) for r in counts.causes] == [
        ("quality", 2, ("A", "C")),
        ("delivery", 1, ("B",)),
    ]
    assert counts.count("billing") == 0


@given(st.lists(complaint_histories(), max_size=6), st.integers(0, 10_000))
def test_every_share_is_its_hits_over_its_ids(complaints: list[Complaint], later: int) -> None:
    unique = list({c.id: c for c in complaints}.values())
    as_of = max((c.last_at for c in unique), default=AS_OF) + dt.timedelta(minutes=later)
    for share in (
        handling_timeliness(unique, POLICY, CAL, as_of),
        satisfaction_rate(unique, as_of),
        reopen_rate(unique, as_of),
    ):
        assert set(share.hits) <= set(share.ids)
        if share.ids:
            assert share.value == Fraction(len(share.hits), len(share.ids))
        else:
            assert share.value is None
    times = resolution_times(unique, POLICY, CAL, as_of)
    if times.times:
        assert times.mean_hours is not None
        assert times.p90 in [t.working_time for t in times.times]
        assert min(t.working_time for t in times.times) <= times.p90
