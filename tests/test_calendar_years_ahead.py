"""Calendar years ahead: year-table files, provisional years, and coverage status."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import chinese_calendar
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyaccount import (
    CHINA_FIRST_YEAR,
    Days,
    Hours,
    WorkCalendar,
    Workdays,
    WorkingHours,
    YearTable,
    deadline,
)
from keyaccount.calendar.provisional import (
    FESTIVAL_DATES,
    PROVISIONAL_YEARS,
    estimate_china_year,
    statutory_days,
)
from keyaccount.calendar.year_tables import HolidayBreak
from keyaccount.cli import main
from keyaccount.errors import (
    CalendarCoverageError,
    DataFileError,
    InvalidArgumentTypeError,
    InvalidCalendarError,
)
from keyaccount.io import (
    dump_year_tables,
    dumps_year_tables,
    load_year_tables,
    loads_year_tables,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "data"
CHINA = WorkCalendar.china()
assert CHINA.covered_years is not None
LAST_DATA_YEAR = CHINA.covered_years[1]
FIRST_UNCOVERED = LAST_DATA_YEAR + 1
PROVISIONAL = WorkCalendar.china(provisional=True)
#: The years the rules in force (2025 on) and the shipped data both cover.
CHECKABLE_YEARS = range(PROVISIONAL_YEARS[0], LAST_DATA_YEAR + 1)
TZ = "Asia/Shanghai"


def days_of(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    return [first + dt.timedelta(days=i) for i in range((dt.date(year + 1, 1, 1) - first).days)]


def shanghai(year: int, month: int, day: int, hour: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, tz=TZ)


# ------------------------------------------------------------------ the file format


def test_the_2026_example_file_is_the_notice_and_agrees_with_the_shipped_data() -> None:
    (table,) = load_year_tables(EXAMPLES / "china-2026.toml")
    assert table.year == 2026
    assert [b.name for b in table.breaks] == [
        "元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节",
    ]  # fmt: skip
    data = {d for d in chinese_calendar.holidays if d.year == 2026}
    assert table.holidays == data
    assert table.extra_workdays == {d for d in chinese_calendar.workdays if d.year == 2026}
    # A table of a covered year that agrees with the data is accepted as it stands.
    assert WorkCalendar.china(extra_years=[table]).covered_years == CHINA.covered_years


def test_the_2027_sample_file_is_the_provisional_estimate() -> None:
    (table,) = load_year_tables(EXAMPLES / "china-2027.toml")
    assert table == estimate_china_year(2027)
    cal = WorkCalendar.china(extra_years=[table])
    assert cal.provisional_years == {2027}


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_dumping_then_loading_gives_back_equal_tables(fmt: str, tmp_path: Path) -> None:
    tables = (*load_year_tables(EXAMPLES / "china-2026.toml"), estimate_china_year(2027))
    text = dumps_year_tables(tables, fmt)  # type: ignore[arg-type]  # a Format literal
    assert loads_year_tables(text, fmt) == tables  # type: ignore[arg-type]
    path = tmp_path / f"years.{fmt}"
    dump_year_tables(tables, path)
    assert load_year_tables(path) == tables


@st.composite
def year_tables(draw: st.DrawFn) -> YearTable:
    """A notice-like table: disjoint breaks, make-up days on free weekend days."""
    year = draw(st.integers(PROVISIONAL_YEARS[0], PROVISIONAL_YEARS[1]))
    cuts = sorted(draw(st.sets(st.integers(0, 364), min_size=0, max_size=10)))
    breaks = []
    for first, last in zip(cuts[::2], cuts[1::2], strict=False):
        start = dt.date(year, 1, 1) + dt.timedelta(days=first)
        breaks.append((start, dt.date(year, 1, 1) + dt.timedelta(days=last)))
    off = {d for a, b in breaks for d in days_of(year) if a <= d <= b}
    free_weekends = [d for d in days_of(year) if d.isoweekday() >= 6 and d not in off]
    make_up = (
        draw(st.lists(st.sampled_from(free_weekends), unique=True, max_size=6))
        if free_weekends
        else []
    )
    names = draw(st.lists(st.sampled_from(["元旦", "春节", "国庆节、中秋节", "x"]),
                          min_size=len(breaks), max_size=len(breaks)))  # fmt: skip
    items = [
        HolidayBreak(name, a, b, frozenset(make_up[i :: len(breaks)]) if breaks else frozenset())
        for i, (name, (a, b)) in enumerate(zip(names, breaks, strict=True))
    ]
    return YearTable.from_breaks(
        year,
        items,
        source=draw(st.text(min_size=1).filter(str.strip)),
        number=draw(st.none() | st.just("国办发明电〔2026〕1号")),
        published=draw(st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2050, 12, 31))),
        provisional=draw(st.booleans()),
    )


@given(tables=st.lists(year_tables(), max_size=3, unique_by=lambda t: t.year),
       fmt=st.sampled_from(["toml", "json"]))  # fmt: skip
def test_any_table_round_trips_through_either_format(tables: list[YearTable], fmt: str) -> None:
    text = dumps_year_tables(tables, fmt)  # type: ignore[arg-type]  # a Format literal
    assert loads_year_tables(text, fmt) == tuple(tables)  # type: ignore[arg-type]


BAD_FILE = """
[[years]]
year = 2027
source = "国务院办公厅关于2027年部分节假日安排的通知"
colour = "blue"

[[years.breaks]]
name = "春节"
first = 2027-02-05
last = 2027-02-13
days = 8
make_up_days = [2027-02-08, 2027-02-20, 2028-01-01, "2027-02-30"]

[[years.breaks]]
name = "国庆节"
first = 2027-10-07
last = 2027-10-01
make_up_days = [2027-02-06]

[[years.breaks]]
name = "清明节"
first = 2027-02-12
last = 2027-02-14

[[years]]
year = 2027
source = "a second copy"
"""


def test_every_problem_of_a_file_is_reported_with_its_path() -> None:
    with pytest.raises(DataFileError) as caught:
        loads_year_tables(BAD_FILE, source="bad.toml")
    found = {(p.path, p.message.split(" (")[0]) for p in caught.value.problems}
    paths = {p.path for p in caught.value.problems}
    assert ("$.years[0].colour", "unknown key") in found
    assert "$.years[0].breaks[0].days" in paths  # 共8天 for a 9-day break
    # a make-up working day on a Monday
    assert "$.years[0].breaks[0].make_up_days[0]" in paths
    # a date outside its year, and no such date at all
    assert "$.years[0].breaks[0].make_up_days[2]" in paths
    assert "$.years[0].breaks[0].make_up_days[3]" in paths
    # a break that ends before it starts
    assert "$.years[0].breaks[1].last" in paths
    # a day both a holiday and a make-up day
    both = [p for p in caught.value.problems if "both a day off and a make-up" in p.message]
    assert [p.path for p in both] == ["$.years[0].breaks[1].make_up_days[0]"]
    # a date listed twice (two breaks overlap)
    twice = [p for p in caught.value.problems if "already listed at" in p.message]
    assert {p.path for p in twice} == {"$.years[0].breaks[2]", "$.years[1].year"}
    assert str(caught.value).startswith("bad.toml: ")
    assert all(p.path.startswith("$") for p in caught.value.problems)


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("years = 1", "$.years"),
        ("[[years]]\nsource = 'x'", "$.years[0].year"),
        ("[[years]]\nyear = true\nsource = 'x'", "$.years[0].year"),
        ("[[years]]\nyear = 20270\nsource = 'x'", "$.years[0].year"),
        ("[[years]]\nyear = 2027\nsource = ' '", "$.years[0].source"),
        ("[[years]]\nyear = 2027\nsource = 'x'\nbreaks = 3", "$.years[0].breaks"),
        ("[[years]]\nyear = 2027\nsource = 'x'\nprovisional = 'yes'", "$.years[0].provisional"),
        ("[[years]]\nyear = 2027\nsource = 'x'\npublished = 2026-11-01T09:00:00",
         "$.years[0].published"),
        (("[[years]]\nyear = 2027\nsource = 'x'\n[[years.breaks]]\nname = '元旦'\n"
          "first = 2027-01-01\nlast = 2027-01-01\nmake_up_days = '2027-01-02'"),
         "$.years[0].breaks[0].make_up_days"),
        ("colour = 1\nyears = []", "$.colour"),
    ],
)  # fmt: skip
def test_each_kind_of_bad_value_is_located(text: str, path: str) -> None:
    with pytest.raises(DataFileError) as caught:
        loads_year_tables(text)
    assert path in {p.path for p in caught.value.problems}


def test_a_long_bad_value_is_not_quoted_in_full() -> None:
    with pytest.raises(DataFileError) as caught:
        loads_year_tables(f"[[years]]\nyear = 2027\nsource = 'x'\npublished = '{'9' * 5000}'")
    assert len(str(caught.value)) < 300


def test_a_json_file_holds_the_same_structure_with_date_strings(tmp_path: Path) -> None:
    path = tmp_path / "2027.json"
    path.write_text(
        json.dumps(
            {
                "years": [
                    {
                        "year": 2027,
                        "source": "notice",
                        "breaks": [
                            {"name": "元旦", "first": "2027-01-01", "last": "2027-01-03"},
                        ],
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    (table,) = load_year_tables(path)
    assert table.holidays == {dt.date(2027, 1, d) for d in (1, 2, 3)}


# ------------------------------------------------------------------ YearTable rules


def test_a_year_table_refuses_a_year_that_is_not_an_int() -> None:
    # Issue 9, B4: YearTable("2027", ...) used to fail later with a TypeError.
    with pytest.raises(InvalidCalendarError, match="int"):
        YearTable("2027", holidays=(), extra_workdays=(), source="x")
    with pytest.raises(InvalidCalendarError):
        YearTable(True, holidays=(), extra_workdays=(), source="x")


def test_a_make_up_working_day_must_be_a_weekend_day() -> None:
    with pytest.raises(InvalidCalendarError, match="Saturday or Sunday"):
        YearTable(2027, holidays=(), extra_workdays={dt.date(2027, 2, 8)}, source="x")


def test_breaks_must_not_overlap_nor_disagree_with_the_day_lists() -> None:
    spring = HolidayBreak("春节", dt.date(2027, 2, 5), dt.date(2027, 2, 11))
    other = HolidayBreak("x", dt.date(2027, 2, 11), dt.date(2027, 2, 12))
    with pytest.raises(InvalidCalendarError, match="listed by both"):
        YearTable.from_breaks(2027, [spring, other], source="x")
    with pytest.raises(InvalidCalendarError, match="disagree"):
        YearTable(2027, holidays={dt.date(2027, 1, 1)}, extra_workdays=(), source="x",
                  breaks=[spring])  # fmt: skip
    with pytest.raises(InvalidCalendarError, match="before it starts"):
        HolidayBreak("春节", dt.date(2027, 2, 11), dt.date(2027, 2, 5))


def test_a_table_of_a_covered_year_that_disagrees_with_the_data_is_refused() -> None:
    (table,) = load_year_tables(EXAMPLES / "china-2026.toml")
    wrong = YearTable.from_breaks(2026, table.breaks[1:], source="missing New Year")
    with pytest.raises(InvalidCalendarError, match=r"already covered.*2026-01-01"):
        WorkCalendar.china(extra_years=[wrong])


def test_a_table_without_named_breaks_cannot_be_written() -> None:
    bare = YearTable(2027, holidays={dt.date(2027, 1, 1)}, extra_workdays=(), source="x")
    with pytest.raises(InvalidCalendarError, match="named breaks"):
        dumps_year_tables([bare])


# ------------------------------------------------------------------ provisional estimates


def test_uncovered_years_are_still_refused_by_default() -> None:
    with pytest.raises(CalendarCoverageError):
        CHINA.add_workdays(dt.date(LAST_DATA_YEAR, 12, 31), 1)
    assert not CHINA.provisional_years


@pytest.mark.parametrize("year", CHECKABLE_YEARS)
def test_the_estimate_of_a_covered_year_agrees_with_its_notice(year: int) -> None:
    """Estimate a covered year as if it were not, and compare with the real notice.

    Every estimated day off is off in the notice; the notice's other weekdays off are
    exactly the days it swapped for make-up working days (chinesecalendar's in-lieu
    days), one for each make-up day.
    """
    estimate = estimate_china_year(year)
    real_off = {d for d in days_of(year) if not CHINA.is_workday(d)}
    make_up = {d for d in chinese_calendar.workdays if d.year == year}
    swapped = {d for d in chinese_calendar.in_lieu_days if d.year == year}
    assert estimate.holidays <= real_off
    assert not estimate.extra_workdays
    weekday_off = {d for d in real_off if d.isoweekday() <= 5}
    assert weekday_off - estimate.holidays == swapped
    assert len(swapped) == len(make_up)
    for day in statutory_days(year):
        assert day.date in real_off, day
    # As a calendar: the two differ only on the swapped weekdays and the make-up days.
    provisional = WorkCalendar(
        holidays=estimate.holidays,
        covered_years=(year, year),
        provisional_years={year},
        name="estimate",
    )
    differs = {d for d in days_of(year) if provisional.is_workday(d) != CHINA.is_workday(d)}
    assert differs == swapped | make_up


@pytest.mark.parametrize("year", range(PROVISIONAL_YEARS[0], PROVISIONAL_YEARS[1] + 1))
def test_every_estimated_year_gives_the_13_statutory_days_on_weekdays(year: int) -> None:
    table = estimate_china_year(year)
    assert len(statutory_days(year)) == 13
    assert {d.date for d in statutory_days(year)} <= table.holidays
    assert sum(1 for d in table.holidays if d.isoweekday() <= 5) == 13
    assert table.provisional
    assert not table.extra_workdays


@pytest.mark.parametrize("year", range(PROVISIONAL_YEARS[0], PROVISIONAL_YEARS[1] + 1))
def test_the_festival_table_matches_two_independent_lunar_sources(year: int) -> None:
    lunisolar = pytest.importorskip("holidays.calendars.chinese")._ChineseLunisolar()
    new_year, qingming, duanwu, mid_autumn = FESTIVAL_DATES[year]
    assert dt.date(year, *new_year) == lunisolar.lunar_new_year_date(year)[0]
    assert dt.date(year, *duanwu) == lunisolar.dragon_boat_date(year)[0]
    assert dt.date(year, *mid_autumn) == lunisolar.mid_autumn_date(year)[0]
    terms = chinese_calendar.get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 10))
    assert [d for d, name in terms if name == "清明"] == [dt.date(year, 4, qingming)]


def test_a_year_beyond_the_festival_table_is_not_estimated() -> None:
    with pytest.raises(CalendarCoverageError, match="provisional rules"):
        estimate_china_year(PROVISIONAL_YEARS[1] + 1)
    with pytest.raises(CalendarCoverageError):
        PROVISIONAL.is_workday(dt.date(PROVISIONAL_YEARS[1] + 1, 6, 1))


def test_the_provisional_calendar_covers_the_following_years_and_says_which() -> None:
    assert PROVISIONAL.covered_years == (CHINA_FIRST_YEAR, PROVISIONAL_YEARS[1])
    assert PROVISIONAL.provisional_years == set(range(FIRST_UNCOVERED, PROVISIONAL_YEARS[1] + 1))
    assert not PROVISIONAL.is_workday(dt.date(2027, 2, 8))  # 正月初三 2027, a Monday
    assert PROVISIONAL.is_workday(dt.date(2027, 2, 11))


def test_a_transcribed_year_comes_before_the_estimates() -> None:
    (table,) = loads_year_tables(
        "[[years]]\nyear = 2027\nsource = 'notice'\n[[years.breaks]]\nname = '元旦'\n"
        "first = 2027-01-01\nlast = 2027-01-03\n"
    )
    cal = WorkCalendar.china(extra_years=[table], provisional=True)
    assert 2027 not in cal.provisional_years
    assert min(cal.provisional_years) == 2028


def test_provisional_is_an_explicit_bool() -> None:
    with pytest.raises(InvalidArgumentTypeError):
        WorkCalendar.china(provisional="yes")  # type: ignore[arg-type]


def test_provisional_years_must_be_covered() -> None:
    with pytest.raises(InvalidCalendarError, match="provisional year"):
        WorkCalendar(provisional_years={2027})
    with pytest.raises(InvalidCalendarError):
        WorkCalendar(provisional_years="2027")  # type: ignore[arg-type]


LATE_2026 = st.datetimes(
    dt.datetime(LAST_DATA_YEAR, 10, 1),  # noqa: DTZ001 - made aware below
    dt.datetime(LAST_DATA_YEAR + 1, 3, 1),  # noqa: DTZ001
).map(lambda d: pendulum.instance(d, tz=TZ))


@given(start=LATE_2026, n=st.integers(0, 40))
def test_a_workday_deadline_is_provisional_exactly_when_it_touches_an_estimated_year(
    start: pendulum.DateTime, n: int
) -> None:
    due = deadline(start, Workdays(n), PROVISIONAL)
    assert due.date is not None
    assert due.provisional == (due.date.year > LAST_DATA_YEAR or start.year > LAST_DATA_YEAR)
    if not due.provisional:  # on known years the estimate changes nothing
        assert deadline(start, Workdays(n), CHINA) == due


@given(start=LATE_2026, hours=st.integers(0, 300))
def test_a_working_hours_deadline_is_provisional_exactly_when_it_reaches_an_estimated_year(
    start: pendulum.DateTime, hours: int
) -> None:
    due = deadline(start, WorkingHours(hours), PROVISIONAL)
    touched = {start.in_timezone(TZ).year, due.at.in_timezone(TZ).year}
    assert due.provisional == (max(touched) > LAST_DATA_YEAR)


@given(start=LATE_2026, n=st.integers(0, 400))
def test_calendar_days_and_clock_hours_use_no_holidays_and_are_never_provisional(
    start: pendulum.DateTime, n: int
) -> None:
    assert not deadline(start, Days(n), PROVISIONAL).provisional
    assert not deadline(start, Hours(n), PROVISIONAL).provisional


def test_a_transcribed_year_is_not_provisional_but_an_estimate_loaded_from_a_file_is() -> None:
    start = shanghai(LAST_DATA_YEAR, 12, 30, 10)
    notice = YearTable.from_breaks(
        FIRST_UNCOVERED,
        [HolidayBreak("元旦", dt.date(FIRST_UNCOVERED, 1, 1), dt.date(FIRST_UNCOVERED, 1, 3))],
        source="notice",
    )
    assert not deadline(start, Workdays(5), WorkCalendar.china(extra_years=[notice])).provisional
    estimate = load_year_tables(EXAMPLES / "china-2027.toml")
    assert deadline(start, Workdays(5), WorkCalendar.china(extra_years=estimate)).provisional


# ------------------------------------------------------------------ the command line


def test_calendar_check_accepts_a_good_file_with_a_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["calendar", "check", str(EXAMPLES / "china-2026.toml")]) == 0
    out = capsys.readouterr().out
    assert "no problems" in out
    assert "2026: 元旦、春节、清明节、劳动节、端午节、中秋节、国庆节" in out
    assert "6 make-up working day(s)" in out


def test_calendar_check_lists_every_located_problem_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(BAD_FILE, encoding="utf-8")
    assert main(["calendar", "check", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}: " in err
    assert "@ $.years[0].colour" in err
    assert "@ $.years[0].breaks[1].make_up_days[0]" in err


def test_calendar_check_reports_a_gap_at_the_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "gap.toml"
    path.write_text(f"[[years]]\nyear = {FIRST_UNCOVERED + 1}\nsource = 'x'\n", encoding="utf-8")
    assert main(["calendar", "check", str(path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["problems"][0]["path"] == "$.years[0].year"
    assert "gap" in report["problems"][0]["message"]


def test_calendar_check_json_describes_each_year(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "check", str(EXAMPLES / "china-2027.toml"), "--json"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["ok"] is True
    assert report["covered"] == [CHINA_FIRST_YEAR, 2027]
    (year,) = report["years"]
    assert year["year"] == 2027
    assert year["provisional"] is True
    assert year["weekdays_off"] == 13
    assert year["make_up_days"] == []
    assert "provisional" in captured.err


@pytest.mark.parametrize(
    ("as_of", "status", "left"),
    [
        (f"{LAST_DATA_YEAR}-10-01", 0, 91),
        (f"{LAST_DATA_YEAR}-11-01", 0, 60),
        (f"{LAST_DATA_YEAR}-11-02", 1, 59),
        (f"{LAST_DATA_YEAR}-12-03", 1, 28),
        (f"{LAST_DATA_YEAR + 1}-01-05", 1, -5),
    ],
)
def test_calendar_status_warns_within_the_last_60_days(
    as_of: str, status: int, left: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calendar", "status", "--as-of", as_of, "--json"]) == status
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["days_left"] == left
    assert report["covered"] == {
        "first": f"{CHINA_FIRST_YEAR}-01-01",
        "last": f"{LAST_DATA_YEAR}-12-31",
    }
    assert report["warning"] is bool(status)
    assert ("warning" in captured.err) is bool(status)


def test_calendar_status_counts_a_year_table_file_and_shows_provisional_years(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "next.toml"
    path.write_text(f"[[years]]\nyear = {FIRST_UNCOVERED}\nsource = 'notice'\n", encoding="utf-8")
    argv = ["calendar", "status", "--as-of", f"{LAST_DATA_YEAR}-12-03", "--years", str(path)]
    assert main(argv) == 0
    assert f"{FIRST_UNCOVERED}-12-31" in capsys.readouterr().out
    argv = ["calendar", "status", "--as-of", f"{LAST_DATA_YEAR}-12-03", "--provisional"]
    assert main(argv) == 1  # estimates do not count as coverage
    out = capsys.readouterr().out
    assert f"provisional: {FIRST_UNCOVERED}-01-01 to {PROVISIONAL_YEARS[1]}-12-31" in out


def test_calendar_status_rejects_a_bad_as_of_as_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["calendar", "status", "--as-of", "next monday"]) == 2
    assert "--as-of" in capsys.readouterr().err


def test_calendar_deadline_warns_on_stderr_when_the_result_is_provisional(
    capsys: pytest.CaptureFixture[str],
) -> None:
    start = f"{LAST_DATA_YEAR}-12-30"
    assert main(["calendar", "deadline", start, "3 workdays"]) == 1  # refused by default
    assert "outside the years covered" in capsys.readouterr().err
    assert main(["calendar", "deadline", start, "3 workdays", "--provisional", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["provisional"] is True
    assert "provisional result" in captured.err
    assert main(["calendar", "deadline", f"{LAST_DATA_YEAR}-06-01", "3 workdays"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "text", ["", "years = [1, 'x', {year = 2027}]", "[[years]]\nyear = 2027\nbreaks = [[]]"]
)
def test_junk_raises_a_located_data_file_error(text: str) -> None:
    with pytest.raises(DataFileError) as caught:
        loads_year_tables(text)
    assert caught.value.problems
    assert all(p.path.startswith("$") for p in caught.value.problems)
