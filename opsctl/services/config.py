"""Team settings kept in the database (`opsctl config`)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlmodel import Session, col, select

from opsctl.errors import InvalidInput, NotFound
from opsctl.models.people import Employee, Setting
from opsctl.services.access import require_employee, require_roles


def _timezone(text: str) -> str:
    if "/" not in text and text not in ("UTC", "GMT"):
        raise InvalidInput(f"not a timezone: {text!r} (use an IANA name such as Asia/Shanghai or UTC)")
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"unknown timezone: {text!r} (use an IANA name such as Asia/Shanghai or Europe/Berlin)"
        ) from None
    if text not in available_timezones() and text != "UTC":
        raise InvalidInput(f"unknown timezone: {text!r} (use an IANA name such as Asia/Shanghai)")
    return text


def _whole(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise InvalidInput(f"not a whole number: {text!r}") from None
        if not low <= value <= high:
            raise InvalidInput(f"{value} is out of range ({low}–{high})")
        return value

    return parse


def _choice(*choices: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text.lower() not in choices:
            raise InvalidInput(f"{text!r} is not one of: {', '.join(choices)}")
        return text.lower()

    return parse


def _weights(keys: tuple[str, ...], *, total: int | None = None) -> Callable[[str], dict[str, float]]:
    """``self=10,supervisor=60,…``: every key once, numbers ≥ 0."""

    def parse(text: str) -> dict[str, float]:
        values: dict[str, float] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            key, sep, number = part.partition("=")
            key = key.strip()
            if not sep or key not in keys:
                raise InvalidInput(f"expected {'=N,'.join(keys)}=N; got {part!r}")
            values[key] = _finite(number, f"not a number for {key}: {number!r}")
            if values[key] < 0:
                raise InvalidInput(f"{key} must not be negative")
        missing = [k for k in keys if k not in values]
        if missing:
            raise InvalidInput(f"missing {', '.join(missing)} (give all of {', '.join(keys)})")
        if total is not None and abs(sum(values.values()) - total) > 1e-9:
            raise InvalidInput(f"the weights sum to {sum(values.values()):g}, not {total}")
        return values

    return parse


def _grades(text: str) -> dict[str, float]:
    """``A=90,B=80,C=70,D=60``: the lowest score of each grade, best first; the rest is E."""
    bands: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        grade, sep, number = part.partition("=")
        bands[grade.strip()] = _finite(number, f"expected GRADE=MIN,…; got {part!r}")
        if not sep or not grade.strip():
            raise InvalidInput(f"expected GRADE=MIN,…; got {part!r}")
    floors = list(bands.values())
    if not bands or floors != sorted(floors, reverse=True) or len(set(floors)) != len(floors):
        raise InvalidInput("grades must go from the best down, each floor lower than the one before")
    return bands


def _grade(text: str) -> str:
    """A grade's name as `kpi.grades` names them (A…D), or E (below the last)."""
    if not text.isalnum() or len(text) > 8:
        raise InvalidInput(f"not a grade: {text!r} (a grade of kpi.grades such as D, or E)")
    return text.upper()


def _money(text: str) -> str:
    """An amount of money ≥ 0 with at most two decimals, kept as text (exact; JSON has no decimals)."""
    from decimal import Decimal

    from opsctl.money import parse_money

    return str(parse_money(text, option="the amount", most=Decimal(10) ** 12, positive=False))


def _finite(text: str, problem: str) -> float:
    """A plain number: ``nan`` and ``inf`` parse as floats, but no weight or floor can be one."""
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(problem) from None
    if not math.isfinite(value):
        raise InvalidInput(problem)
    return value


def _format_mapping(value: dict[str, float]) -> str:
    return ",".join(f"{k}={v:g}" for k, v in value.items())


def _roles(text: str) -> list[str]:
    """``member,lead``: some of the roles, each once, in the order of ROLES."""
    from opsctl.models.people import ROLES

    if text.strip().lower() == "none":
        return []
    given = {part.strip().lower() for part in text.split(",") if part.strip()}
    if not given or set(given) - set(ROLES):
        raise InvalidInput(f"expected roles from {', '.join(ROLES)} (comma-separated), or none; got {text!r}")
    return [role for role in ROLES if role in given]


def _weekday_time(text: str) -> str:
    """``mon 10:00``: a weekday and a time of day (the week report's deadline, after the week)."""
    from opsctl.dates import parse_time

    day, _, clock = text.strip().lower().partition(" ")
    if day[:3] not in ("mon", "tue", "wed", "thu", "fri", "sat", "sun") or not clock.strip():
        raise InvalidInput(f"expected a weekday and a time such as 'mon 10:00'; got {text!r}")
    return f"{day[:3]} {parse_time(clock.strip()):%H:%M}"


def _time_of_day(text: str) -> str:
    from opsctl.dates import parse_time

    return f"{parse_time(text.strip()):%H:%M}"


def _on_off(text: str) -> bool:
    value = text.strip().lower()
    if value not in ("on", "off", "yes", "no", "true", "false", "1", "0"):
        raise InvalidInput(f"expected on or off; got {text!r}")
    return value in ("on", "yes", "true", "1")


def _hours_or_off(text: str) -> float:
    """Hours of a day of compensatory leave (0 or empty: no compensatory leave from overtime)."""
    if not text.strip():
        return 0.0
    value = _finite(text, f"not a number of hours: {text!r}")
    if not 0 <= value <= 24:
        raise InvalidInput(f"{value:g} is out of range (0 for off, else up to 24 hours)")
    return value


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: Any
    parse: Callable[[str], Any]
    help: str
    show: Callable[[Any], str] = str


SPECS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec("timezone", "UTC", _timezone, "the team's IANA timezone; business dates use it"),
        SettingSpec("week_start", "monday", _choice("monday", "sunday"), "first day of a week"),
        SettingSpec("overtime_min", 30, _whole(0, 600), "minutes after the end of a shift that count as overtime"),
        SettingSpec("correction_limit", 3, _whole(0, 31), "approved punch corrections per person per month"),
        SettingSpec("overtime_needs_approval", True, _on_off,
                    "on: only overtime approved in advance or after (attend overtime) counts as approved; the "
                    "rest is shown as unapproved", lambda on: "on" if on else "off"),
        SettingSpec("overtime_comp_hours", 0.0, _hours_or_off,
                    "approved rest-day overtime credits comp leave, one day per this many hours (0: off)",
                    lambda hours: f"{hours:g}"),
        SettingSpec("report.kinds", "week", _choice("day", "week", "both", "none"),
                    "work reports expected: day, week, both or none"),
        SettingSpec("report.roles", ["member", "lead", "manager"], _roles,
                    "roles expected to write work reports (comma-separated, or none)",
                    lambda roles: ",".join(roles) or "none"),
        SettingSpec("report.week_deadline", "mon 10:00", _weekday_time,
                    "a week report is due on this weekday and time after the week"),
        SettingSpec("report.day_deadline", "10:00", _time_of_day,
                    "a day report is due at this time of the person's next workday"),
        SettingSpec(
            "kpi.grades", {"A": 90.0, "B": 80.0, "C": 70.0, "D": 60.0}, _grades,
            "lowest final score of each grade; below the last is E", _format_mapping,
        ),
        SettingSpec(
            "kpi.rater_weights",
            {"self": 10.0, "supervisor": 60.0, "peer": 20.0, "customer": 10.0},
            _weights(("self", "supervisor", "peer", "customer"), total=100),
            "weight of each rater role (sum 100)", _format_mapping,
        ),
        SettingSpec(
            "kpi.discipline",
            {"late": 5.0, "early": 5.0, "missing": 2.0, "absent": 20.0},
            _weights(("late", "early", "missing", "absent")),
            "points the discipline indicator loses per late, early, missing punch, absent day",
            _format_mapping,
        ),
        SettingSpec("training.pass_mark", 60, _whole(0, 100), "lowest passing training score"),
        SettingSpec("projects.budget_warning", 90, _whole(1, 1000),
                    "percent of a project's budget spent (approved costs) from which `project show` warns"),
        SettingSpec("projects.document_limit_mib", 20, _whole(1, 1024),
                    "largest document `project doc add` stores, in MiB"),
        SettingSpec("kpi.plan_grade", "D", _grade,
                    "a grade at or below this one in a closed cycle calls for an improvement plan"),
        SettingSpec("kpi.plan_flag_after", 2, _whole(1, 12),
                    "that many such grades in a row (periods of one kind) are flagged to HR"),
        SettingSpec("merit.two_level_amount", "1000.00", _money,
                    "a reward or penalty of more money than this needs two levels of approval"),
        SettingSpec(
            "merit.suggest", {"grade_a": 10.0, "clean": 5.0, "late": 1.0, "absent": 5.0, "late_free": 2.0},
            _weights(("grade_a", "clean", "late", "absent", "late_free")),
            "`merit suggest` points: reward for grade A and for clean attendance, penalty per late arrival "
            "beyond late_free and per absent day", _format_mapping,
        ),
    )
}


def _spec(key: str) -> SettingSpec:
    try:
        return SPECS[key]
    except KeyError:
        raise NotFound(f"unknown setting {key!r}; settings: {', '.join(SPECS)}") from None


def load_settings(session: Session) -> dict[str, Any]:
    """Every setting, stored or default, in one query."""
    values = {key: spec.default for key, spec in SPECS.items()}
    for row in session.exec(select(Setting)):
        if row.key in SPECS:
            values[row.key] = json.loads(row.value)
    return values


def get_setting(session: Session, key: str) -> Any:
    spec = _spec(key)
    row = session.get(Setting, key)
    return spec.default if row is None else json.loads(row.value)


def set_setting(session: Session, *, actor: Employee | None, key: str, value: str) -> Any:
    """Parse, check and store one setting; only admins (or `init`, with no actor) may."""
    spec = _spec(key)
    if actor is not None:
        require_roles(actor, "admin", action="change team settings")
    parsed = spec.parse(value.strip())
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=json.dumps(parsed)))
    else:
        row.value = json.dumps(parsed)
    session.flush()
    return parsed


def setting_rows(session: Session, *, viewer: Employee) -> list[dict[str, Any]]:
    """Every setting, for ``viewer``: team settings are read by any employee."""
    require_employee(session, viewer)
    values = load_settings(session)
    return [
        {"key": key, "value": spec.show(values[key]), "default": spec.show(spec.default), "help": spec.help}
        for key, spec in SPECS.items()
    ]


def show_setting(session: Session, *, viewer: Employee, key: str) -> str:
    """One setting's value as `config get` prints it, for ``viewer`` (any employee)."""
    require_employee(session, viewer)
    return _spec(key).show(get_setting(session, key))


def team_timezone(session: Session) -> ZoneInfo:
    return ZoneInfo(get_setting(session, "timezone"))


# A demo database keeps the moment it was made, so exploring it later shows the same
# day (overdue tasks, today's meetings). It is no team setting: `config set` cannot touch it.
FROZEN_NOW = "demo.frozen_now"


def freeze_clock(session: Session, now: datetime) -> None:
    session.merge(Setting(key=FROZEN_NOW, value=json.dumps(now.isoformat())))
    session.flush()


def clock_settings(session: Session) -> tuple[ZoneInfo, datetime | None]:
    """The team timezone and, for a demo database, its frozen moment: one query."""
    rows = dict(session.exec(select(Setting.key, Setting.value).where(
        col(Setting.key).in_(("timezone", FROZEN_NOW)))).all())
    timezone = json.loads(rows["timezone"]) if "timezone" in rows else SPECS["timezone"].default
    frozen = datetime.fromisoformat(json.loads(rows[FROZEN_NOW])) if FROZEN_NOW in rows else None
    return ZoneInfo(timezone), frozen
