"""The daily rules of DESIGN §3, through the pure classifier (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from opsctl.services.attendance.rules import (
    STATUSES,
    DayKind,
    DayResult,
    LeaveCover,
    ScheduleRule,
    classify_day,
    classify_period,
    day_kind,
    instant_on,
    work_date_of,
)

TZ = ZoneInfo("Asia/Shanghai")
STANDARD = ScheduleRule("Standard", time(9), time(18), time(12), time(13), late_grace=5, early_grace=0)
NIGHT = ScheduleRule("Night", time(22), time(6), time(2), time(2, 30))
WED = date(2026, 3, 18)
TODAY = date(2026, 3, 25)


def at(day: date, hhmm: str, seconds: int = 0) -> datetime:
    h, m = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, h, m, seconds, tzinfo=TZ).astimezone(UTC)


def judge(*punches: str, day: date = WED, kind: DayKind = "workday", rule: ScheduleRule = STANDARD,
          today: date = TODAY, cover: LeaveCover | None = None, overtime_min: int = 30) -> DayResult:
    return classify_day(day, kind, rule, [at(day, p) for p in punches], today=today, tz=TZ,
                        overtime_min=overtime_min, cover=cover)


# -- rule 1: the kind of a day ------------------------------------------------------------------

def test_the_calendar_wins_over_the_schedule() -> None:
    calendar = {date(2026, 5, 1): "holiday", date(2026, 5, 4): "off", date(2026, 5, 9): "workday"}
    assert day_kind(date(2026, 5, 1), STANDARD, calendar) == "holiday"  # a Friday
    assert day_kind(date(2026, 5, 4), STANDARD, calendar) == "off"  # a Monday
    assert day_kind(date(2026, 5, 9), STANDARD, calendar) == "workday"  # a make-up Saturday
    assert day_kind(date(2026, 5, 10), STANDARD, calendar) == "rest"  # Sunday
    assert day_kind(date(2026, 5, 11), STANDARD, calendar) == "workday"
    weekend_shift = ScheduleRule("Weekend", time(9), time(18), days=frozenset({5, 6}))
    assert day_kind(date(2026, 5, 10), weekend_shift, calendar) == "workday"
    assert day_kind(date(2026, 5, 11), weekend_shift, calendar) == "rest"


# -- rules 2 and 3: punches, late and early ---------------------------------------------------

def test_an_ordinary_day() -> None:
    day = judge("08:55", "12:30", "18:10")
    assert (day.status, day.late_minutes, day.early_minutes, day.present) == ("present", 0, 0, 1.0)
    assert day.first == at(WED, "08:55") and day.last == at(WED, "18:10")
    assert day.work_minutes == 9 * 60 + 15 - 60  # minus the break
    assert day.overtime_minutes == 0  # 10 minutes after the end is under the 30 minute threshold


def test_late_counts_from_the_start_once_past_the_grace() -> None:
    assert judge("09:05", "18:00").status == "present"  # exactly at the end of the grace
    late = judge("09:06", "18:00")
    assert (late.status, late.late_minutes) == ("late", 6)  # minutes from the start, not from the grace
    seconds = classify_day(WED, "workday", STANDARD, [at(WED, "09:05", 59), at(WED, "18:00")], today=TODAY,
                           tz=TZ, overtime_min=30)
    assert seconds.status == "present"  # judged to the minute, as a clock shows it


def test_early_leave_and_both() -> None:
    early = judge("08:50", "17:45")
    assert (early.status, early.early_minutes) == ("early", 15)
    graced = ScheduleRule("Graced", time(9), time(18), early_grace=10)
    assert classify_day(WED, "workday", graced, [at(WED, "08:50"), at(WED, "17:50")], today=TODAY, tz=TZ,
                        overtime_min=30).status == "present"
    both = judge("09:20", "17:00")
    assert (both.status, both.late_minutes, both.early_minutes) == ("late+early", 20, 60)
    assert both.late and both.early


def test_a_single_punch_is_a_missing_punch_not_late_and_no_hours() -> None:
    day = judge("10:30")
    assert day.status == "missing" and day.missing
    assert (day.late_minutes, day.work_minutes, day.present, day.absent) == (0, 0, 1.0, 0.0)
    assert day.last is None


# -- rule 4: absent only in the past -----------------------------------------------------------------

def test_absent_only_strictly_before_today() -> None:
    assert judge(day=WED, today=WED + timedelta(days=1)).status == "absent"
    assert judge(day=WED, today=WED).status == "open"
    assert judge(day=WED, today=WED - timedelta(days=3)).status == "open"
    assert judge(day=WED, today=WED).absent == 0


def test_today_judges_the_clock_in_but_not_yet_early_or_missing() -> None:
    assert judge("09:30", day=WED, today=WED).status == "late"
    assert judge("08:30", day=WED, today=WED).status == "present"
    assert judge("08:30", "15:00", day=WED, today=WED).status == "present"


# -- rule 5: leave --------------------------------------------------------------------------------------

def test_full_day_leave_is_a_leave_day() -> None:
    day = judge(cover=LeaveCover("full", "annual"))
    assert (day.status, day.leave_days, day.absent, day.leave_type) == ("leave", 1.0, 0.0, "annual")
    on_holiday = judge(kind="holiday", cover=LeaveCover("full", "annual"))
    assert (on_holiday.status, on_holiday.leave_days) == ("holiday", 0.0)  # leave counts on workdays only


def test_morning_leave_moves_the_start_to_the_end_of_the_break() -> None:
    cover = LeaveCover("am", "sick")
    fine = judge("12:58", "18:00", cover=cover)
    assert (fine.status, fine.leave_days, fine.present, fine.expected) == ("half-leave", 0.5, 0.5, (time(13), time(18)))
    late = judge("13:20", "18:00", cover=cover)
    assert (late.status, late.late_minutes) == ("half-leave+late", 20)


def test_afternoon_leave_moves_the_end_to_the_start_of_the_break() -> None:
    cover = LeaveCover("pm", "personal")
    fine = judge("08:58", "12:00", cover=cover)
    assert fine.status == "half-leave" and fine.work_minutes == 182
    early = judge("08:58", "11:30", cover=cover)
    assert (early.status, early.early_minutes) == ("half-leave+early", 30)


def test_no_punch_on_the_other_half_of_a_past_workday_is_half_absent() -> None:
    day = judge(cover=LeaveCover("am", "annual"))
    assert (day.status, day.absent, day.leave_days, day.present) == ("half-leave+absent", 0.5, 0.5, 0.0)
    assert judge(cover=LeaveCover("am", "annual"), today=WED).absent == 0  # today: not yet


def test_half_day_without_a_break_splits_the_shift_in_the_middle() -> None:
    rule = ScheduleRule("No break", time(8), time(16))
    day = classify_day(WED, "workday", rule, [at(WED, "12:10"), at(WED, "16:00")], today=TODAY, tz=TZ,
                       overtime_min=30, cover=LeaveCover("am", "annual"))
    assert (day.status, day.late_minutes) == ("half-leave+late", 10)


# -- rule 6: hours and overtime -------------------------------------------------------------------------

def test_workday_overtime_counts_once_it_reaches_the_threshold() -> None:
    under = judge("08:50", "18:29")
    assert under.overtime_minutes == 0
    reached = judge("08:50", "18:30")
    assert (reached.overtime_minutes, reached.overtime_kind, reached.code) == (30, "workday", "✓+")
    assert judge("08:50", "18:10", overtime_min=0).overtime_minutes == 10


def test_rest_day_and_holiday_hours_are_all_overtime_reported_apart() -> None:
    rest = judge("10:00", "16:00", kind="rest")
    assert (rest.status, rest.work_minutes, rest.overtime_minutes) == ("rest-work", 300, 300)
    assert rest.overtime_kind == "rest"
    off = judge("10:00", "11:00", kind="off")
    assert (off.status, off.overtime_kind) == ("off-work", "rest")
    holiday = judge("09:00", "12:00", kind="holiday")
    assert (holiday.status, holiday.overtime_minutes, holiday.overtime_kind) == ("holiday-work", 180, "holiday")
    assert judge("10:00", kind="rest").status == "stray"
    assert judge(kind="rest").status == "rest" and judge(kind="holiday").status == "holiday"
    assert judge(kind="rest").absent == 0


# -- rule 7 (overnight shifts) ------------------------------------------------------------------------------

def test_overnight_punches_belong_to_the_date_the_shift_started() -> None:
    def local(text: str) -> datetime:
        return datetime.fromisoformat(text)

    assert work_date_of(local("2026-03-18 21:55"), NIGHT) == date(2026, 3, 18)
    assert work_date_of(local("2026-03-19 06:10"), NIGHT) == date(2026, 3, 18)
    assert work_date_of(local("2026-03-19 13:59"), NIGHT) == date(2026, 3, 18)
    assert work_date_of(local("2026-03-19 14:00"), NIGHT) == date(2026, 3, 19)
    assert instant_on(WED, time(6), NIGHT, TZ) == at(WED + timedelta(days=1), "06:00")
    assert instant_on(WED, time(22), NIGHT, TZ) == at(WED, "22:00")


def test_a_day_shift_worked_past_midnight_ends_on_its_own_date() -> None:
    """09:00–18:00: the hours off are half over at 01:30, so a clock-out at 00:40 ends the long
    evening before; an early shift (06:00–14:00, half over at 22:00) never rolls over."""
    def local(text: str) -> datetime:
        return datetime.fromisoformat(text)

    assert (STANDARD.rolls_over, STANDARD.cutoff) == (True, time(1, 30))
    assert work_date_of(local("2026-03-19 00:40"), STANDARD) == date(2026, 3, 18)
    assert work_date_of(local("2026-03-19 01:30"), STANDARD) == date(2026, 3, 19)
    assert work_date_of(local("2026-03-19 08:55"), STANDARD) == date(2026, 3, 19)
    early = replace(STANDARD, start=time(6), end=time(14), break_start=None, break_end=None)
    assert not early.rolls_over and work_date_of(local("2026-03-19 00:40"), early) == date(2026, 3, 19)
    assert instant_on(WED, time(0, 40), STANDARD, TZ) == at(WED + timedelta(days=1), "00:40")  # `attend fix --out`
    assert instant_on(WED, time(18), STANDARD, TZ) == at(WED, "18:00")


def test_the_hour_a_fall_back_repeats_is_cut_off_by_instants() -> None:
    """New York, Sun 2026-11-01: 01:00–01:59 comes twice. The 01:30 cutoff passes in the first
    (EDT); a punch at the second 01:20 (EST) is later than that, so it starts the new day."""
    new_york = ZoneInfo("America/New_York")

    def local(utc_hour: int, minute: int) -> datetime:
        return datetime(2026, 11, 1, utc_hour, minute, tzinfo=UTC).astimezone(new_york)

    first, second = local(5, 20), local(6, 20)  # both read 01:20
    assert (first.hour, first.minute, second.hour, second.minute) == (1, 20, 1, 20)
    assert work_date_of(first, STANDARD) == date(2026, 10, 31)  # before the cutoff: Saturday's long evening
    assert work_date_of(second, STANDARD) == date(2026, 11, 1)
    assert work_date_of(local(5, 40), STANDARD) == date(2026, 11, 1)  # 01:40 EDT
    day = classify_day(WED, "workday", STANDARD, [at(WED, "09:01"), at(WED + timedelta(days=1), "00:40")],
                       today=TODAY, tz=TZ, overtime_min=30)
    assert (day.status, day.overtime_minutes, day.work_minutes) == ("present", 400, 15 * 60 + 39 - 60)


def test_an_overnight_shift_is_judged_across_midnight() -> None:
    thursday = WED + timedelta(days=1)
    punches = [at(WED, "22:10"), at(thursday, "05:40")]
    day = classify_day(WED, "workday", NIGHT, punches, today=TODAY, tz=TZ, overtime_min=30)
    assert (day.status, day.late_minutes, day.early_minutes) == ("late+early", 10, 20)
    assert day.work_minutes == 7 * 60 + 30 - 30  # minus the 02:00–02:30 break
    overtime = classify_day(WED, "workday", NIGHT, [at(WED, "21:50"), at(thursday, "07:00")], today=TODAY, tz=TZ,
                            overtime_min=30)
    assert (overtime.status, overtime.overtime_minutes) == ("present", 60)


# -- the period: every workday is present, absent or leave ---------------------------------------------------

DAYS = [date(2026, 5, 1) + timedelta(days=i) for i in range(31)]
CALENDAR = {date(2026, 5, 1): "holiday", date(2026, 5, 4): "off", date(2026, 5, 9): "workday"}
DAY_PLANS = st.sampled_from(["none", "one", "ontime", "late", "early", "overtime"])
COVERS = st.sampled_from([None, "full", "am", "pm"])


@settings(max_examples=60, deadline=None)
@given(plans=st.lists(st.tuples(DAY_PLANS, COVERS), min_size=31, max_size=31))
def test_a_finished_month_adds_up(plans: list[tuple[str, str | None]]) -> None:
    shapes = {"none": [], "one": ["09:00"], "ontime": ["08:55", "18:00"], "late": ["09:40", "18:00"],
              "early": ["08:50", "16:00"], "overtime": ["08:50", "20:00"]}
    punches = {d: [at(d, p) for p in shapes[plan]] for d, (plan, _) in zip(DAYS, plans, strict=True)}
    covers = {(7, d): LeaveCover(c, "annual") for d, (_, c) in zip(DAYS, plans, strict=True) if c}  # type: ignore[arg-type]
    days = [(d, day_kind(d, STANDARD, CALENDAR), STANDARD) for d in DAYS]
    results = classify_period(employee_id=7, days=days, punches=punches, covers=covers, today=date(2026, 6, 3),
                              tz=TZ, overtime_min=30)
    workdays = [r for r in results if r.kind == "workday"]
    assert sum(r.present + r.absent + r.leave_days for r in workdays) == len(workdays)
    assert all(r.status in STATUSES for r in results)
    assert all(r.late_minutes > 0 for r in results if r.late)
    assert all(r.work_minutes == 0 for r in results if r.punches < 2)
