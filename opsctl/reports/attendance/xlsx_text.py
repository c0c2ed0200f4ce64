"""The words of the HR workbook in English and Chinese (`attend export --lang en|zh`):
sheet names, headers, day codes and their meanings, titles and the rules in words.

The English codes are the ones `attend month --person` draws in the terminal; the
Chinese ones are the characters a Chinese attendance sheet uses (迟 late, 早 early,
旷 absent, 假 leave, 休 rest day, 调 adjusted day off (调休), 节 holiday, 班 make-up workday, 加
overtime …): a rest day and an adjusted day off have codes of their own, as HR tells them apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from opsctl.services.attendance import OVERTIME_MARK, STATUSES

SUMMARY_KEYS = (
    "login", "name", "team", "workdays", "present_days", "late_count", "late_minutes", "early_count",
    "early_minutes", "missing_punches", "absent_days", "leave_days", "overtime_hours", "work_hours",
)
OVERTIME_KEYS = ("overtime_workday_hours", "overtime_rest_hours", "overtime_holiday_hours")
# With `overtime_needs_approval` on: approved overtime per kind of day, and the unapproved rest.
APPROVAL_KEYS = ("overtime_approved_workday_hours", "overtime_approved_rest_hours", "overtime_approved_holiday_hours",
                 "overtime_unapproved_hours")
HOURS_KEYS = frozenset({"overtime_hours", "work_hours", *OVERTIME_KEYS, *APPROVAL_KEYS})


@dataclass(frozen=True)
class Texts:
    lang: str
    sheets: tuple[str, str, str, str]  # Summary, Daily, Punches, Legend
    headers: dict[str, str]  # summary key -> column header
    leave_header: str  # "{name}" -> the header of a leave type's column
    codes: dict[str, str]  # day status -> the code in a Daily cell
    meanings: dict[str, str]  # day status -> what the code means
    overtime_mark: str
    weekdays: tuple[str, str, str, str, str, str, str]  # Monday first
    marks: dict[str, str]  # calendar kind -> the mark under a day's weekday
    kinds: dict[str, str]  # calendar kind -> its name
    punch_kinds: dict[str, str]
    sources: dict[str, str]
    words: dict[str, str]  # titles, notes, section names, legend headers (str.format templates)
    rules: tuple[str, ...]  # the rules in force, in words ({overtime_min}, {timezone})

    def code(self, status: str, overtime: bool = False) -> str:
        return self.codes[status] + (self.overtime_mark if overtime else "")

    def leave_column(self, code: str, name: str | None = None) -> str:
        """The header of a leave type's column; a name written "English / 中文" gives its half."""
        parts = [part.strip() for part in (name or "").split(" / ") if part.strip()]
        return self.leave_header.format(name=(parts[-1] if self.lang == "zh" else parts[0]) if parts else code)

    def weekdays_text(self, compact: str) -> str:
        """``mon-fri`` (as the schedule stores it) in this language."""
        if self.lang == "en":
            return compact.replace("-", "–").title()
        for en, zh in zip(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), self.weekdays, strict=True):
            compact = compact.replace(en, f"周{zh}")
        return compact.replace("-", "至").replace(",", "、")


EN = Texts(
    lang="en",
    sheets=("Summary", "Daily", "Punches", "Legend"),
    headers={
        "login": "Login", "name": "Name", "team": "Team", "workdays": "Workdays", "present_days": "Present days",
        "late_count": "Late count", "late_minutes": "Late minutes", "early_count": "Early leave count",
        "early_minutes": "Early leave minutes", "missing_punches": "Missing punches", "absent_days": "Absent days",
        "leave_days": "Leave days", "overtime_hours": "Overtime hours", "work_hours": "Work hours",
        "overtime_workday_hours": "Overtime on workdays (h)", "overtime_rest_hours": "Overtime on rest days (h)",
        "overtime_holiday_hours": "Overtime on holidays (h)",
        "overtime_approved_workday_hours": "Approved OT workdays (h)",
        "overtime_approved_rest_hours": "Approved OT rest days (h)",
        "overtime_approved_holiday_hours": "Approved OT holidays (h)", "overtime_unapproved_hours": "Unapproved OT (h)",
    },
    leave_header="{name} (days)",
    codes={**{status: s.code for status, s in STATUSES.items()}, "open": "open"},
    meanings={status: s.label for status, s in STATUSES.items()} | {"open": "today: not judged yet"},
    overtime_mark=OVERTIME_MARK,
    weekdays=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    marks={"holiday": "hol", "off": "off", "workday": "work"},
    kinds={"holiday": "public holiday", "off": "adjusted day off", "workday": "make-up workday"},
    punch_kinds={"in": "in", "out": "out"},
    sources={"clock": "clock", "import": "import", "zkteco": "ZKTeco device", "correction": "correction"},
    words={
        "summary": "Attendance {month}", "daily": "Daily attendance {month}", "punches": "Punches {month}",
        "legend": "Legend: attendance workbook {month}", "all_teams": "all teams", "one_team": "team {team}",
        "under": "people under {who}",
        "as_of": "as of {today}",
        "period": "{start} – {end} · {people} people · exported {now} by {who}",
        "hidden": "Only the people you manage are in this workbook ({hidden} more were employed that month).",
        "daily_note": "One code per person and day; the Legend sheet explains codes and colours. Grey columns: "
                      "rest days and days off; orange: public holidays; gold: make-up workdays.",
        "punches_note": "Times in {timezone}. Date is the work date (a time past 24:00 is in the night after it). "
                        "Kind as the source recorded it (blank: not given; the day's first punch is the clock-in, "
                        "its last the clock-out).",
        "summary_note": "Days count halves (a half-day leave is 0.5). Overtime hours = workday + rest day + holiday "
                        "overtime.",
        "in_progress": "The month is in progress: days from {today} on are not judged yet (no absences).",
        "login": "Login", "name": "Name", "team": "Team", "date": "Date", "time": "Time", "kind": "Kind",
        "source": "Source", "note": "Note", "weekday": "Weekday", "holiday_name": "Name",
        "codes": "Codes in the Daily sheet", "code": "Code", "meaning": "Meaning",
        "overtime_mark": "added to a workday's code: overtime after the shift (e.g. {example})",
        "blank": "not employed that day, or a day still to come", "header_marks": "Marks under the weekday",
        "calendar_section": "Calendar of {month}", "no_calendar": "No public holidays or make-up days this month.",
        "rules": "Rules in force", "schedule": "Schedule", "hours": "Hours", "break": "Break",
        "workdays": "Workdays", "late_grace": "Late grace (min)", "early_grace": "Early grace (min)",
        "people": "People", "none": "none", "overtime_min": "Overtime from (min)",
        "timezone": "Timezone", "approval": "Overtime needs approval", "yes": "yes", "no": "no",
    },
    rules=(
        "A calendar entry decides a day's kind (public holiday, adjusted day off, make-up workday); otherwise the "
        "schedule's weekdays are workdays and the others rest days.",
        "Late: the first punch is after the start plus the late grace; late minutes count from the start. Early "
        "leave: the last punch is before the end minus the early grace; early minutes count to the end.",
        "Missing punch: a single punch on a workday; it is not judged late or early and adds no hours.",
        "Absent: a workday before today with no punch and no approved leave. Today and later days are open.",
        "Leave: an approved full-day leave makes a leave day; a half-day leave covers that half, the other half is "
        "judged as usual (no punch at all: 0.5 absent).",
        "Work hours: last punch minus first punch, less the part of the break between them (every day counts).",
        "Overtime: on a workday, the time after the end of the shift once it reaches {overtime_min} minutes; on a "
        "rest day, day off or public holiday, every worked hour (holiday overtime is counted apart).",
        "Approved overtime: the part of an approved overtime request the punches cover, per kind of day (a request "
        "may come after the fact, marked late); unapproved: the rest of the overtime above. When overtime needs no "
        "approval, all of it is approved.",
        "Times are in {timezone}.",
    ),
)

ZH = Texts(
    lang="zh",
    sheets=("汇总", "每日", "打卡明细", "说明"),
    headers={
        "login": "登录名", "name": "姓名", "team": "团队", "workdays": "应出勤天数", "present_days": "出勤天数",
        "late_count": "迟到次数", "late_minutes": "迟到分钟", "early_count": "早退次数", "early_minutes": "早退分钟",
        "missing_punches": "缺卡次数", "absent_days": "旷工天数", "leave_days": "请假天数",
        "overtime_hours": "加班小时", "work_hours": "工作小时", "overtime_workday_hours": "工作日加班小时",
        "overtime_rest_hours": "休息日加班小时", "overtime_holiday_hours": "节假日加班小时",
        "overtime_approved_workday_hours": "已批准工作日加班小时",
        "overtime_approved_rest_hours": "已批准休息日加班小时",
        "overtime_approved_holiday_hours": "已批准节假日加班小时", "overtime_unapproved_hours": "未批准加班小时",
    },
    leave_header="{name}（天）",
    codes={
        "present": "√", "late": "迟", "early": "早", "late+early": "迟早", "missing": "缺", "absent": "旷",
        "leave": "假", "half-leave": "半", "half-leave+late": "半迟", "half-leave+early": "半早",
        "half-leave+late+early": "半迟早", "half-leave+missing": "半缺", "half-leave+absent": "半旷", "open": "今",
        "rest": "休", "off": "调", "holiday": "节", "rest-work": "休加", "off-work": "调加", "holiday-work": "节加",
        "stray": "单",
    },
    meanings={
        "present": "出勤，准时", "late": "迟到", "early": "早退", "late+early": "迟到且早退",
        "missing": "缺卡（只有一次打卡）", "absent": "旷工", "leave": "请假（全天）",
        "half-leave": "请假半天，另半天出勤", "half-leave+late": "请假半天，另半天迟到",
        "half-leave+early": "请假半天，另半天早退", "half-leave+late+early": "请假半天，另半天迟到且早退",
        "half-leave+missing": "请假半天，另半天缺卡", "half-leave+absent": "请假半天，另半天旷工",
        "open": "今天：尚未判定", "rest": "休息日", "off": "调休日", "holiday": "法定节假日",
        "rest-work": "休息日上班（全部计加班）", "off-work": "调休日上班（全部计加班）",
        "holiday-work": "法定节假日上班（全部计节假日加班）", "stray": "休息日只有一次打卡：不计工时",
    },
    overtime_mark="加",
    weekdays=("一", "二", "三", "四", "五", "六", "日"),
    marks={"holiday": "节", "off": "调", "workday": "班"},
    kinds={"holiday": "法定节假日", "off": "调休日", "workday": "调休上班（补班）"},
    punch_kinds={"in": "上班", "out": "下班"},
    sources={"clock": "打卡", "import": "导入", "zkteco": "考勤机", "correction": "补卡"},
    words={
        "summary": "考勤汇总 {month}", "daily": "每日考勤 {month}", "punches": "打卡明细 {month}",
        "legend": "说明：考勤表 {month}", "all_teams": "全部团队", "one_team": "团队 {team}", "as_of": "截至 {today}",
        "under": "{who} 管理的人员",
        "period": "{start} 至 {end} · {people} 人 · {who} 导出于 {now}",
        "hidden": "只包括您管理的人员（另有 {hidden} 人未包括）。",
        "daily_note": "每人每天一个代码，代码和颜色见“说明”表。"
                      "灰色列：休息日和调休日；橙色：法定节假日；金色：调休上班（补班）。",
        "punches_note": "时间为 {timezone}。日期为出勤日（超过 24:00 的时间属于当天之后的夜里）。"
                        "类型按来源记录（空白：未记录；当天第一次打卡为上班，最后一次为下班）。",
        "summary_note": "天数按半天计（请假半天为 0.5）。加班小时 = 工作日 + 休息日 + 节假日加班。",
        "in_progress": "本月尚未结束：{today} 及以后的日子尚未判定（不计旷工）。",
        "login": "登录名", "name": "姓名", "team": "团队", "date": "日期", "time": "时间", "kind": "类型",
        "source": "来源", "note": "备注", "weekday": "星期", "holiday_name": "名称",
        "codes": "“每日”表中的代码", "code": "代码", "meaning": "含义",
        "overtime_mark": "加在工作日代码后：下班后加班（如 {example}）",
        "blank": "当天未在职，或尚未到来的日子", "header_marks": "星期下方的标记",
        "calendar_section": "{month} 的节假日安排", "no_calendar": "本月没有法定节假日或调休。",
        "rules": "适用的规则", "schedule": "班次", "hours": "上下班时间", "break": "午休", "workdays": "工作日",
        "late_grace": "迟到宽限（分钟）", "early_grace": "早退宽限（分钟）", "people": "人数", "none": "无",
        "overtime_min": "加班起算（分钟）", "timezone": "时区", "approval": "加班需审批", "yes": "是", "no": "否",
    },
    rules=(
        "节假日安排决定当天的类型（法定节假日、调休日、调休上班）；否则班次的工作日为工作日，其余为休息日。",
        "迟到：第一次打卡晚于上班时间加迟到宽限；迟到分钟从上班时间算起。早退：最后一次打卡早于下班时间减早退宽限；早退分钟算到下班时间。",
        "缺卡：工作日只有一次打卡；不判迟到早退，也不计工时。",
        "旷工：今天以前的工作日没有打卡，也没有已批准的请假。今天及以后的日子尚未判定。",
        "请假：已批准的全天假为请假日；半天假只覆盖那半天，另半天照常判定（完全没有打卡：旷工 0.5 天）。",
        "工作小时：最后一次打卡减第一次打卡，扣除其间的午休（每天都计）。",
        "加班：工作日下班后的时间达到 {overtime_min} 分钟才计；"
        "休息日、调休日和法定节假日的工作时间全部计加班（节假日加班单独统计）。",
        "已批准加班：已批准的加班申请中有打卡覆盖的部分，按日期类型统计（可事后申请，标为补报）；"
        "未批准加班：上述加班中其余的部分。加班无需审批时，全部计为已批准。",
        "时间为 {timezone}。",
    ),
)

TEXTS = {"en": EN, "zh": ZH}
