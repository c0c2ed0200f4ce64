"""Types of leave: the defaults `init` creates, adding and changing one, looking one up."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from opsctl.errors import Conflict, InvalidInput, NotFound
from opsctl.models.leave import LeaveType
from opsctl.models.people import Employee
from opsctl.services import audit
from opsctl.services.access import require_employee, require_roles
from opsctl.services.leave.days import check_half_days

LEAVE_ADMINS = ("hr", "admin")
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,23}$")
MAX_NOTICE = 365


@dataclass(frozen=True)
class TypeRules:
    """What a type says; every field of LeaveType but its id and creation time."""

    code: str
    name: str
    paid: bool = True
    quota: float | None = None
    min_notice: int = 0
    allow_retro: bool = False
    levels: int = 1
    include_holidays: bool = False
    carry_over: float = 0.0


# DESIGN §4. Migration 0003 keeps its own copy (what it inserted into existing databases).
DEFAULT_TYPES = (
    TypeRules("annual", "Annual leave / 年假", quota=5.0, min_notice=3),
    TypeRules("sick", "Sick leave / 病假", allow_retro=True),
    TypeRules("personal", "Personal leave / 事假", paid=False, min_notice=1),
    TypeRules("marriage", "Marriage leave / 婚假", min_notice=7, levels=2),
    TypeRules("maternity", "Maternity leave / 产假", allow_retro=True, levels=2, include_holidays=True),
    TypeRules("bereavement", "Bereavement leave / 丧假", allow_retro=True),
    TypeRules("comp", "Compensatory leave for overtime / 调休", quota=0.0, min_notice=1),
)
EDITABLE = ("name", "paid", "quota", "min_notice", "allow_retro", "levels", "include_holidays", "carry_over")


def ensure_default_types(session: Session, *, now: datetime) -> list[LeaveType]:
    """The default types that are missing (migration 0003 adds them to every database;
    `init` makes sure they are there)."""
    known = set(session.exec(select(LeaveType.code)).all())
    added = [_new(rules, now) for rules in DEFAULT_TYPES if rules.code not in known]
    session.add_all(added)
    session.flush()
    return added


def _new(rules: TypeRules, now: datetime) -> LeaveType:
    return LeaveType(**{k: getattr(rules, k) for k in ("code", *EDITABLE)}, created_at=now)


def list_types(session: Session) -> list[LeaveType]:
    return list(session.exec(select(LeaveType).order_by(col(LeaveType.id))))


def type_rows(session: Session, *, viewer: Employee) -> list[dict[str, Any]]:
    """Every leave type and its rules, as `leave types` shows them (any employee may see them)."""
    require_employee(session, viewer)
    return [type_row(t) for t in list_types(session)]


def get_type(session: Session, code: str) -> LeaveType:
    found = session.exec(select(LeaveType).where(LeaveType.code == code.strip().lower())).first()
    if found is None:
        known = ", ".join(t.code for t in list_types(session)) or "none yet"
        raise NotFound(f"unknown leave type {code!r} (types: {known}); see `opsctl leave types`")
    return found


def check_rules(rules: TypeRules) -> TypeRules:
    if not CODE_PATTERN.match(rules.code):
        raise InvalidInput(f"not a leave type code: {rules.code!r} (a lowercase letter, then letters, digits, "
                           "'_' or '-', at most 24)")
    name = rules.name.strip()
    if not name or len(name) > 80:
        raise InvalidInput("give the type a name of 1–80 characters with --name")
    if rules.quota is not None and check_half_days(rules.quota, "--quota") < 0:
        raise InvalidInput("--quota must not be negative (0 means: only what HR allocates)")
    if not 0 <= rules.min_notice <= MAX_NOTICE:
        raise InvalidInput(f"--min-notice must be between 0 and {MAX_NOTICE} days, not {rules.min_notice}")
    if rules.levels not in (1, 2):
        raise InvalidInput(f"--levels must be 1 (the manager) or 2 (the manager, then HR), not {rules.levels}")
    if check_half_days(rules.carry_over, "--carry-over") < 0:
        raise InvalidInput("--carry-over must not be negative")
    if rules.carry_over and rules.quota is None:
        raise InvalidInput("--carry-over needs a balance to carry: give the type a --quota (0 is fine)")
    return TypeRules(**{**type_fields(rules), "name": name})


def type_fields(rules: TypeRules | LeaveType) -> dict[str, Any]:
    return {k: getattr(rules, k) for k in ("code", *EDITABLE)}


def add_type(session: Session, *, actor: Employee, now: datetime, rules: TypeRules) -> LeaveType:
    """A new type of leave (HR/admin); audited."""
    require_roles(actor, *LEAVE_ADMINS, action="add leave types")
    rules = check_rules(TypeRules(**{**type_fields(rules), "code": rules.code.strip().lower()}))
    if session.exec(select(LeaveType.id).where(LeaveType.code == rules.code)).first() is not None:
        raise Conflict(f"a leave type {rules.code!r} already exists; change it with `opsctl leave type edit`")
    leave_type = _new(rules, now)
    session.add(leave_type)
    session.flush()
    audit.record(session, now=now, actor=actor, action="leave.type.add", entity="leave_type",
                 entity_id=rules.code, details=type_fields(rules))
    return leave_type


def edit_type(session: Session, *, actor: Employee, now: datetime, code: str, **changes: Any) -> LeaveType:
    """Change a type's rules (HR/admin); audited. Requests already made keep their days and
    approval levels; balances of every year follow the new quota and carry-over."""
    require_roles(actor, *LEAVE_ADMINS, action="change leave types")
    leave_type = get_type(session, code)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(sorted(unknown))} of a leave type")
    before = type_fields(leave_type)
    after = type_fields(check_rules(TypeRules(**{**before, **changes})))
    diff = {key: [before[key], after[key]] for key in EDITABLE if before[key] != after[key]}
    if not diff:
        raise InvalidInput("nothing to change; give at least one option (see --help)")
    for key, (_old, new) in diff.items():
        setattr(leave_type, key, new)
    session.flush()
    audit.record(session, now=now, actor=actor, action="leave.type.edit", entity="leave_type",
                 entity_id=leave_type.code, details=diff)
    return leave_type


def type_row(leave_type: LeaveType) -> dict[str, Any]:
    return {"id": leave_type.id, **type_fields(leave_type)}
