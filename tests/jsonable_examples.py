"""One realistic instance of every public value and result type, for the JSON tests.

READ THIS BEFORE ADDING A PUBLIC TYPE. `tests/test_io_jsonable.py` discovers every attrs
class exported from `keyaccount`, `keyaccount.io` and the public subpackages
(`calendar`, `org`, `customers`, `visits`, `complaints`, `duties`, `finance`, `club`,
`kpi`) and writes an instance of each with `keyaccount.io.to_json`. A discovered class
with no factory in `EXAMPLES` FAILS that test, naming the class. So whoever exports a new
attrs class (a result, a record, a policy, an event) adds one line here:

    EXAMPLES[MyResult] = lambda: my_rule(facts(), policy(), CALENDAR, AS_OF)

Prefer calling the real rule on the reference or example data (`examples/data/`,
`keyaccount.reference`) over building the value by hand, so the example has the shape
the rule really answers with (nested results, explanations, durations...). Keep each
factory cheap (the shared inputs below are built once).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pendulum

import keyaccount.io as kio
from keyaccount import (
    AbcRow,
    Accepted,
    ApprovalRoute,
    Assigned,
    Assignment,
    Authority,
    AuthorityKind,
    Booking,
    Cadence,
    ClaimPeriod,
    ClaimsByPeriod,
    Closed,
    Complaint,
    ComplaintPolicy,
    Contact,
    Coverage,
    CreditApproval,
    Customer,
    DateRange,
    Days,
    Deadline,
    Decision,
    Delegation,
    Department,
    DueVisit,
    DuplicateClaim,
    Duty,
    Escalated,
    Escalation,
    EscalationTarget,
    Experience,
    Fault,
    Finding,
    FollowedUp,
    FrequentCustomer,
    GreetingDay,
    HandlingCycle,
    HandOver,
    HolidayBreak,
    Hours,
    IncompleteRecord,
    JobDescription,
    LatestContact,
    Money,
    OrgChart,
    Paused,
    Position,
    Qualification,
    Rates,
    Received,
    RedactedCustomer,
    Registration,
    Reopened,
    RequestKind,
    ResolutionTime,
    ResolutionTimes,
    Resolved,
    Resumed,
    RivalClaim,
    RootCause,
    RootCauseCounts,
    Severity,
    ShareResult,
    SlaStatus,
    SlaTarget,
    Spend,
    Staff,
    StatusSpan,
    TargetRule,
    TargetStatus,
    VisitPolicy,
    VisitRecord,
    VisitSummary,
    WorkCalendar,
    Workdays,
    WorkingHours,
    WorkingWindow,
    YearTable,
    abc_classes,
    approval_route,
    assign,
    can,
    check_org,
    claims_by_period,
    coverage,
    credit_approval,
    deadline,
    due_visits,
    escalations,
    frequent_customers,
    hand_over,
    latest_contact_before,
    redact,
    register,
    resolution_times,
    root_cause_counts,
    satisfaction_rate,
    sla_status,
    visit_summary,
)
from keyaccount import reference as ref
from keyaccount.calendar import GridDay, MonthGrid, Recurrence, Slot, TimeWindow, month_grid
from keyaccount.duties import (
    ComplianceFigures,
    ComplianceSummary,
    DoneRecord,
    Occurrence,
    OccurrenceCompliance,
    RecurringDuty,
    compliance,
    compliance_summary,
    duties_of,
    occurrences,
)
from keyaccount.io import LoadResult
from keyaccount.org import ScheduleItem

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "examples" / "data"
TZ = "Asia/Shanghai"
CALENDAR = WorkCalendar.china()
#: The instant the example data is evaluated at: a working Monday morning in Shanghai.
AS_OF = pendulum.datetime(2026, 3, 2, 10, 0, tz=TZ)
MARCH = DateRange(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
FEBRUARY = DateRange(dt.date(2026, 2, 1), dt.date(2026, 2, 28))


@functools.cache
def chart() -> OrgChart:
    """The seed's sales-management department (销售管理部)."""
    return ref.load("sales-management")


@functools.cache
def customers() -> tuple[Customer, ...]:
    return kio.load_customers(DATA / "customers.json").strict()


@functools.cache
def visits() -> tuple[VisitRecord, ...]:
    return kio.load_visits(DATA / "visits.json").strict()


@functools.cache
def complaints() -> tuple[Complaint, ...]:
    return kio.load_complaints(DATA / "complaints.json").strict()


def complaint_with_everything() -> Complaint:
    """A complaint that went through every event: pause, escalation, reopening."""
    at = pendulum.datetime(2026, 3, 2, 9, 0, tz=TZ)
    complaint = Complaint.receive(
        "TS-0302-01",
        at=at,
        kind=RequestKind.COMPLAINT,
        severity=Severity.URGENT,
        customer_id="c001",
        channel="电话",
        summary="包厢音响故障",
    )
    return (
        complaint.accept(by="cs", at=at.add(minutes=10))
        .pause(reason="waiting for the customer's photos", at=at.add(hours=1))
        .resume(at=at.add(hours=3))
        .resolve(
            resolution="replaced the amplifier",
            fault=Fault.OURS,
            root_cause="worn equipment",
            claim_amount=Money("300"),
            at=at.add(days=1),
        )
        .reopen(reason="the sound failed again", at=at.add(days=2))
    )


def staff() -> tuple[Staff, ...]:
    return (
        Staff("wu", "吴", "sales-management-manager"),
        Staff("zhang", "张", chart().by_title("区域经理").id),
        Staff("li", "李", chart().by_title("区域经理").id),
    )


def _registrations() -> tuple[Registration | DuplicateClaim, DuplicateClaim]:
    prospect = Customer("p1", "杭州某某餐饮有限公司", contacts=(Contact("13800138001"),))
    first = register((), prospect, staff()[1], AS_OF)
    assert isinstance(first, Registration)
    second = register((first,), prospect, staff()[2], AS_OF.add(hours=1))
    assert isinstance(second, DuplicateClaim)
    return first, second


def _sla() -> SlaStatus:
    return sla_status(
        complaint_with_everything(), ComplaintPolicy.default(), CALENDAR, AS_OF.add(days=3)
    )


def _year_table() -> YearTable:
    return kio.load_year_tables(DATA / "china-2026.toml")[0]


def _bookings() -> tuple[Booking, ...]:
    day = dt.date(2026, 3, 2)
    return tuple(
        Booking("13800138000", day + dt.timedelta(days=7 * i), Money(800 + 100 * i), name="陈经理")
        for i in range(4)
    )


def _delegation() -> Delegation:
    director = chart().position("marketing-director")
    right = next(a for a in director.authorities if a.subject == "customer-credit")
    return Delegation(
        "marketing-director",
        "sales-management-manager",
        kinds=frozenset({right.kind}),
        subjects=frozenset({"customer-credit"}),
        valid_from=AS_OF.subtract(days=1),
        valid_until=AS_OF.add(days=14),
        limit=Money(50000),
        note="while the director is on leave",
    )


def _position() -> Position:
    return chart().position("sales-management-manager")


def _job() -> JobDescription:
    return next(p.job for p in chart().positions if p.job is not None and p.job.duties)


def _qualification() -> Qualification:
    service = ref.load("customer-service").position("customer-service-manager")
    assert service.job is not None
    assert service.job.qualification is not None
    return service.job.qualification


#: One factory per public attrs class. See the module docstring: add yours here.
EXAMPLES: dict[type, Callable[[], Any]] = {
    # calendar
    DateRange: lambda: MARCH,
    MonthGrid: lambda: month_grid(CALENDAR, 2026, 10),
    GridDay: lambda: month_grid(CALENDAR, 2026, 10).day(dt.date(2026, 10, 10)),
    Days: lambda: Days(7),
    Workdays: lambda: Workdays(3),
    Hours: lambda: Hours(4),
    WorkingHours: lambda: WorkingHours(2, 30),
    Deadline: lambda: deadline(AS_OF, Workdays(3), CALENDAR),
    HolidayBreak: lambda: _year_table().breaks[1],
    YearTable: _year_table,
    WorkCalendar: lambda: CALENDAR,
    WorkingWindow: lambda: WorkingWindow.parse(("09:00", "12:00")),
    # money
    Money: lambda: Money("20000.00"),
    Rates: lambda: Rates({("USD", "CNY"): "7.1"}),
    # org
    OrgChart: chart,
    Position: _position,
    Department: lambda: chart().departments[0],
    JobDescription: _job,
    Duty: lambda: _job().duties[0],
    Qualification: _qualification,
    Experience: lambda: Experience("sales management", 3),
    Authority: lambda: _position().authorities[0],
    Delegation: _delegation,
    Decision: lambda: can(
        chart(), "sales-management-manager", AuthorityKind.APPROVE, "customer-credit", amount=30000
    ),
    ApprovalRoute: lambda: approval_route(chart(), staff()[1].position, "customer-credit", 30000),
    Finding: lambda: check_org(ref.load("customer-service"))[0],
    # customers
    Customer: lambda: customers()[0],
    Contact: lambda: customers()[0].contacts[0],
    Spend: lambda: customers()[0].spend[0],
    Staff: lambda: staff()[0],
    RedactedCustomer: lambda: redact(  # zhang's prospect, shown to a colleague
        ref.load("key-account"), Staff("zhou", "周", "sales-representative"), customers()[4]
    ),
    CreditApproval: lambda: credit_approval(
        chart(), customers()[0], Money(30000), staff()[0], as_of=AS_OF
    ),
    Registration: lambda: _registrations()[0],
    DuplicateClaim: lambda: _registrations()[1],
    RivalClaim: lambda: _registrations()[1].earlier,
    Assignment: lambda: assign(customers(), staff()[1:])[0],
    HandOver: lambda: hand_over("zhang", customers(), staff()[2:], staff()[0]),
    AbcRow: lambda: abc_classes({c.id: Money(1000 * (i + 1)) for i, c in enumerate(customers())})[
        0
    ],
    Booking: lambda: _bookings()[0],
    FrequentCustomer: lambda: frequent_customers(_bookings(), MARCH)[0],
    # visits
    VisitPolicy: VisitPolicy,
    Cadence: lambda: VisitPolicy().cadence[0],
    GreetingDay: lambda: GreetingDay("中秋节", dt.date(2026, 9, 25)),
    VisitRecord: lambda: visits()[0],
    DueVisit: lambda: due_visits(customers(), visits(), VisitPolicy(), CALENDAR, AS_OF)[0],
    LatestContact: lambda: latest_contact_before(AS_OF, AS_OF.add(days=1), VisitPolicy(), CALENDAR),
    Coverage: lambda: coverage(
        customers(), visits(), FEBRUARY, VisitPolicy(), CALENDAR, as_of=AS_OF
    ),
    VisitSummary: lambda: visit_summary(visits(), FEBRUARY, VisitPolicy(), CALENDAR),
    IncompleteRecord: lambda: visit_summary(
        (*visits(), VisitRecord("v999", "c002", AS_OF.subtract(days=10), by="li")),
        FEBRUARY,
        VisitPolicy(),
        CALENDAR,
    ).incomplete[0],
    # complaints
    Complaint: complaint_with_everything,
    Received: lambda: complaint_with_everything().events[0],
    Accepted: lambda: complaint_with_everything().events[1],
    Paused: lambda: complaint_with_everything().events[2],
    Resumed: lambda: complaint_with_everything().events[3],
    Resolved: lambda: complaint_with_everything().events[4],
    Reopened: lambda: complaint_with_everything().events[5],
    Assigned: lambda: Assigned(at=AS_OF, to="crm-manager"),
    Escalated: lambda: next(e for c in complaints() for e in c.events if isinstance(e, Escalated)),
    FollowedUp: lambda: next(
        e for c in complaints() for e in c.events if isinstance(e, FollowedUp)
    ),
    Closed: lambda: next(e for c in complaints() for e in c.events if isinstance(e, Closed)),
    StatusSpan: lambda: complaint_with_everything().status_spans()[0],
    HandlingCycle: lambda: complaint_with_everything().cycles[0],
    ComplaintPolicy: ComplaintPolicy.default,
    TargetRule: lambda: ComplaintPolicy.default().rules[0],
    SlaTarget: lambda: ComplaintPolicy.default().rules[0].acceptance,
    EscalationTarget: lambda: ComplaintPolicy.default().major_escalation,
    SlaStatus: _sla,
    TargetStatus: lambda: _sla().targets[1],
    Escalation: lambda: escalations(
        complaints(), ComplaintPolicy.default(), CALENDAR, pendulum.datetime(2026, 2, 20, 12, tz=TZ)
    )[0],
    # kpi
    ShareResult: lambda: satisfaction_rate(complaints(), AS_OF),
    ResolutionTimes: lambda: resolution_times(
        complaints(), ComplaintPolicy.default(), CALENDAR, AS_OF
    ),
    ResolutionTime: lambda: resolution_times(
        complaints(), ComplaintPolicy.default(), CALENDAR, AS_OF
    ).times[0],
    RootCauseCounts: lambda: root_cause_counts(complaints(), AS_OF),
    RootCause: lambda: root_cause_counts(complaints(), AS_OF).causes[0],
    ClaimsByPeriod: lambda: claims_by_period(complaints(), CALENDAR, AS_OF),
    ClaimPeriod: lambda: claims_by_period(complaints(), CALENDAR, AS_OF).periods[-1],
    # io
    LoadResult: lambda: kio.loads_visits(
        '[{"id": "v1", "customer_id": "c001", "at": "2026-03-02T10:00:00+08:00", "by": "zhang",'
        ' "outcome": "satisfied"}, {"id": "v2", "outcome": "unreached"}]'
    ),
}


# duties (issue 10): the sales-management manager's October 2026 and its done records
_MANAGER = "sales-management-manager"
_OCTOBER = DateRange(dt.date(2026, 10, 1), dt.date(2026, 10, 31))


@functools.cache
def _october() -> tuple[Occurrence, ...]:
    return occurrences(duties_of(chart(), _MANAGER), _OCTOBER.start, _OCTOBER.end, CALENDAR)


@functools.cache
def _october_compliance() -> tuple[OccurrenceCompliance, ...]:
    done = kio.load_done_records(DATA / "done-records.json").strict()
    return compliance(_october(), done, pendulum.datetime(2026, 10, 31, 23, tz=TZ))


def _summary() -> ComplianceSummary:
    return compliance_summary(_october_compliance(), _OCTOBER, holders={_MANAGER: "s-wang"})


EXAMPLES.update(
    {
        Recurrence: lambda: chart().position(_MANAGER).schedule[3].recurrence,
        TimeWindow: lambda: TimeWindow.parse("13:30-14:30"),
        Slot: lambda: Recurrence.monthly(13, through=18).slots(_OCTOBER.start, _OCTOBER.end)[0],
        ScheduleItem: lambda: chart().position(_MANAGER).schedule[0],
        RecurringDuty: lambda: duties_of(chart(), _MANAGER)[0],
        Occurrence: lambda: next(o for o in _october() if o.moved_from is not None),
        DoneRecord: lambda: kio.load_done_records(DATA / "done-records.json").items[0],
        OccurrenceCompliance: lambda: next(
            r for r in _october_compliance() if r.late_by is not None
        ),
        ComplianceSummary: _summary,
        ComplianceFigures: lambda: _summary().positions[0],
    }
)


# reminders, appointments and the agenda (issue 10, helper 10b)
def _duties_10b() -> dict[type, Callable[[], Any]]:
    from keyaccount import (  # the names of one issue, kept with its examples
        Agenda,
        AgendaItem,
        Appointment,
        AppointmentResult,
        CardExpiry,
        DueReminder,
        ReminderPolicy,
        ServiceFacts,
        agenda,
        appointment_status,
        card_renewal_reminders,
        next_maintenance,
    )
    from keyaccount.duties import Unplaced
    from keyaccount.visits import NextMaintenance

    served = pendulum.datetime(2026, 10, 12, 12, 40, tz=TZ)
    book = (Customer("c1", "华新商贸", owner="s-wang"),)
    car = ServiceFacts("c1", dt.date(2026, 4, 20), 0, first=True, daily_km=25, vehicle="京A1")
    card = CardExpiry("c1", dt.date(2026, 10, 31), "VIP卡")
    call = Appointment("a1", "c1", served.add(days=2, hours=2), served.add(hours=2))
    wang = Staff("s-wang", "王经理", _MANAGER)

    def reminder() -> DueReminder:
        return card_renewal_reminders(book, [card], ReminderPolicy(), CALENDAR, served)[0]

    def plan() -> Agenda:
        week = DateRange(dt.date(2026, 10, 12), dt.date(2026, 10, 17))
        return agenda(wang, duties_of(chart(), _MANAGER), [reminder()], week, CALENDAR)

    def unplaced() -> Unplaced:
        holidays = DateRange(dt.date(2026, 10, 1), dt.date(2026, 10, 3))
        early = attrs.evolve(reminder(), opens=pendulum.datetime(2026, 10, 1, 9, tz=TZ))
        return agenda(wang, (), [early], holidays, CALENDAR).unplaced[0]

    return {
        ServiceFacts: lambda: car,
        ReminderPolicy: ReminderPolicy,
        NextMaintenance: lambda: next_maintenance(car, ReminderPolicy()),
        CardExpiry: lambda: card,
        DueReminder: reminder,
        Appointment: lambda: call,
        AppointmentResult: lambda: appointment_status(call, [], VisitPolicy(), served.add(days=3)),
        Agenda: plan,
        AgendaItem: lambda: plan().items[0],
        Unplaced: unplaced,
    }


EXAMPLES.update(_duties_10b())


# receivables, aging, collections, statements, dunning (issue 11, helper 11a)
def _finance_11a() -> dict[type, Callable[[], Any]]:
    from keyaccount import finance as fin

    may = pendulum.datetime(2026, 5, 31, 18, tz=TZ)
    half = DateRange(dt.date(2026, 1, 1), dt.date(2026, 6, 30))

    @functools.cache
    def ledger() -> fin.Receivables:
        return kio.load_receivables(DATA / "receivables.json").strict()

    @functools.cache
    def report() -> fin.Aging:
        return fin.aging(ledger(), fin.DEFAULT_AGING, CALENDAR, may, group=fin.AgingGroup.OWNER)

    @functools.cache
    def allocated() -> fin.Allocated:
        return fin.allocate(ledger(), up_to=dt.date(2026, 5, 31))

    @functools.cache
    def statement() -> fin.CustomerStatement:
        return fin.statement(ledger(), "c001", DateRange(dt.date(2026, 3, 1), half.end))

    @functools.cache
    def dunning() -> tuple[fin.DueDunning, ...]:
        return fin.dunning(ledger(), fin.DEFAULT_DUNNING, CALENDAR, may)

    return {
        fin.PaymentTerms: lambda: ledger().invoices[0].terms,
        fin.Invoice: lambda: ledger().invoices[0],
        fin.Payment: lambda: ledger().payments[0],
        fin.Allocation: lambda: ledger().payments[0].allocations[0],
        fin.CreditNote: lambda: ledger().credit_notes[0],
        fin.WriteOff: lambda: ledger().write_offs[0],
        fin.Receivables: ledger,
        kio.LoadedReceivables: lambda: kio.load_receivables(DATA / "receivables.json"),
        fin.Allocated: allocated,
        fin.Applied: lambda: allocated().applications[0],
        fin.UnappliedCredit: lambda: allocated().unapplied[0],
        fin.OpenItem: lambda: fin.open_items(ledger(), CALENDAR, may)[0],
        fin.AgingPolicy: lambda: fin.DEFAULT_AGING,
        fin.AgingBucket: lambda: fin.DEFAULT_AGING.buckets[0],
        fin.Aging: report,
        fin.AgingRow: lambda: report().rows[0],
        fin.BucketFigure: lambda: report().rows[0].buckets[2],
        fin.Collections: lambda: fin.collections(ledger(), half),
        fin.Collected: lambda: fin.collections(ledger(), half).by_owner[0],
        fin.BadDebtRate: lambda: fin.bad_debt_rate(ledger(), half),
        fin.CustomerStatement: statement,
        fin.StatementLine: lambda: statement().lines[0],
        fin.DunningPolicy: lambda: fin.DEFAULT_DUNNING,
        fin.DunningStep: lambda: fin.DEFAULT_DUNNING.steps[0],
        fin.DueDunning: lambda: dunning()[0],
    }


EXAMPLES.update(_finance_11a())


# credit control, budgets, sales results and churn (issue 11, helper 11b)
def _finance_11b() -> dict[type, Callable[[], Any]]:
    from keyaccount import finance as fin

    march = pendulum.datetime(2026, 3, 31, 18, tz=TZ)

    @functools.cache
    def book() -> fin.BudgetBook:
        return kio.load_budgets(DATA / "budgets.json").strict()

    @functools.cache
    def check() -> fin.CreditCheck:
        customers = kio.load_customers(DATA / "customers.json").strict()
        ledger = kio.load_receivables(DATA / "receivables.json").strict()
        c002 = next(c for c in customers if c.id == "c002")
        order = fin.OpenOrder("SO-NEW", "c002", Money(15000))
        return fin.credit_check(
            c002,
            ledger,
            (),
            order,
            fin.DEFAULT_RATING,
            chart(),
            CALENDAR,
            as_of=march,
            requester="regional-manager",
        )

    @functools.cache
    def sales() -> fin.SalesResults:
        records = kio.load_sales_records(DATA / "sales.json").strict()
        targets = kio.load_sales_targets(DATA / "sales-targets.json").strict()
        return fin.sales_results(records, targets, "2026-03", CALENDAR, march)

    @functools.cache
    def churn() -> fin.ChurnReport:
        customers = kio.load_customers(DATA / "customers.json").strict()
        return fin.churn_rate(customers, "2026Q1", fin.DEFAULT_CHURN, CALENDAR, march)

    def fits() -> fin.BudgetFit:
        return fin.fits(book(), book().expenses[2], CALENDAR, march)

    def status() -> fin.BudgetStatus:
        return fin.budget_status(book(), "2026-03", CALENDAR, march)

    return {
        fin.ReportPeriod: lambda: fin.ReportPeriod("2026Q1"),
        fin.Budget: lambda: book().budgets[0],
        fin.Expense: lambda: book().expenses[0],
        fin.BudgetBook: book,
        fin.BudgetFit: fits,
        fin.BudgetStatus: status,
        fin.BudgetLineStatus: lambda: status().lines[0],
        kio.LoadedBudgets: lambda: kio.load_budgets(DATA / "budgets.json"),
        fin.OpenOrder: lambda: kio.load_open_orders(DATA / "open-orders.json").items[0],
        fin.RatingPolicy: lambda: fin.DEFAULT_RATING,
        fin.RatingRule: lambda: fin.DEFAULT_RATING.rules[0],
        fin.RatingResult: lambda: check().rating,
        fin.CreditHistory: lambda: check().rating.history,
        fin.CreditCheck: check,
        fin.SalesRecord: lambda: kio.load_sales_records(DATA / "sales.json").items[3],
        fin.SalesTarget: lambda: kio.load_sales_targets(DATA / "sales-targets.json").items[0],
        fin.SalesResults: sales,
        fin.SalesRow: lambda: sales().rows[0],
        fin.Achievement: lambda: sales().rows[0].contracts,
        fin.MarginFigure: lambda: sales().rows[0].margin,
        fin.ChurnPolicy: lambda: fin.DEFAULT_CHURN,
        fin.ChurnReport: churn,
        fin.ChurnFigure: lambda: churn().all,
    }


EXAMPLES.update(_finance_11b())


# the member club (issue 12)
def _club_12() -> dict[type, Callable[[], Any]]:
    from keyaccount import club

    march = pendulum.datetime(2026, 3, 31, 18, tz=TZ)
    q1 = DateRange(dt.date(2026, 1, 1), dt.date(2026, 3, 31))

    @functools.cache
    def loaded() -> kio.LoadedClub:
        return kio.load_club(DATA / "club.json")

    def ledger() -> club.Ledger:
        return loaded().strict()

    def op(kind: type) -> Any:
        return next(o for o in ledger().operations if isinstance(o, kind))

    def event(kind: type) -> Any:
        return next(e for e in ledger().cards.events if isinstance(e, kind))

    @functools.cache
    def points() -> club.MemberPoints:
        return club.member_points(ledger(), "c003", march)

    @functools.cache
    def review() -> club.TierQualification:
        return club.qualify("c003", ledger(), club.CORE_CUSTOMER_POLICY, march)

    @functools.cache
    def referrals() -> tuple[club.Referral, ...]:
        people = {c.id: c for c in kio.load_customers(DATA / "customers.json").strict()}
        zhang = Staff("zhang", "张伟", "regional-manager")
        at = pendulum.datetime(2026, 2, 3, 10, tz=TZ)
        return (
            club.Referral("RF-1", "c003", people["p001"], at, zhang),
            club.Referral("RF-2", "c002", people["p001"], at.add(days=1), Staff("li", "李娜", "x")),
        )

    closes = (club.ReferralClose("D-1", "RF-1", march.subtract(days=3), Money(88000)),)

    @functools.cache
    def remarketing() -> club.RemarketingReport:
        return club.remarketing_report(referrals(), closes, (), q1, CALENDAR, march)

    @functools.cache
    def report() -> club.ClubReport:
        return club.club_report(ledger(), q1, CALENDAR, march)

    bad = club.replay_ledger(
        ledger().cards,
        (*ledger().operations, club.Redeem("R-X", march, "ZZ-0002", 10**9, "car")),
        ledger().policy,
    )
    return {
        club.ClubPolicy: lambda: ledger().policy,
        club.EarnRule: lambda: ledger().policy.earn_rules[0],
        club.LevelRule: lambda: ledger().policy.levels[2],
        club.CardIssued: lambda: event(club.CardIssued),
        club.CardReportedLost: lambda: event(club.CardReportedLost),
        club.CardReplaced: lambda: event(club.CardReplaced),
        club.CardRenewed: lambda: event(club.CardRenewed),
        club.Cards: lambda: ledger().cards,
        club.CardState: lambda: ledger().cards.card("ZZ-0002"),
        club.Validity: lambda: ledger().cards.card("ZZ-0002").validity[-1],
        club.CardsReplayed: lambda: club.replay_cards(ledger().cards.events),
        club.Refusal: lambda: bad.refusals[0],
        club.Replayed: lambda: bad,
        club.Earn: lambda: op(club.Earn),
        club.Redeem: lambda: op(club.Redeem),
        club.Adjust: lambda: op(club.Adjust),
        club.Reverse: lambda: op(club.Reverse),
        club.Ledger: ledger,
        kio.LoadedClub: loaded,
        kio.ClubFile: lambda: kio.ClubFile(ledger().cards.events, ledger().operations),
        club.MemberPoints: points,
        club.LedgerEntry: lambda: points().entries[0],
        club.LevelChange: lambda: points().level_changes[-1],
        club.Criterion: lambda: club.CORE_CUSTOMER_POLICY.criteria[0],
        club.TierPolicy: lambda: club.GROUP_CUSTOMER_POLICY,
        club.GroupFacts: lambda: club.GroupFacts("c004", 35, Money(260000), "JT-2026-001"),
        club.CriterionResult: lambda: review().results[0],
        club.TierQualification: review,
        club.Referral: lambda: referrals()[0],
        club.ReferralClose: lambda: closes[0],
        club.ReferralOutcome: lambda: club.track_referrals(referrals(), closes, (), march)[1],
        club.RemarketingReport: remarketing,
        club.RemarketingRow: lambda: remarketing().rows[0],
        club.ClubReport: report,
        club.LevelCount: lambda: report().levels[2],
    }


EXAMPLES.update(_club_12())
