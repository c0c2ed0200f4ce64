"""Rewards and penalties: adding one (HR, an admin or the person's manager chain), its
approval (the person's manager chain, HR or an admin; two levels above the
`merit.two_level_amount` setting), revoking it with a reason, and the lists and totals.

Nobody adds, approves or revokes their own; nobody approves what they proposed; the second
level is HR, an admin or a manager above the first approver. Points are whole numbers ≥ 0 and
amounts exact (cents), the kind saying which way they count. Every change is audited.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from opsctl.dates import Period
from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.merits import MERIT_KINDS, MERIT_SOURCES, MERIT_STATUSES, Merit
from opsctl.models.people import Employee
from opsctl.money import from_cents, parse_money, to_cents
from opsctl.services import access, audit
from opsctl.services.locks import lock_row

MAX_POINTS = 1000
MAX_AMOUNT = Decimal("10000000")


def parse_points(text: str | int, *, kind: str) -> int:
    """A whole number of points, 0–1000: the kind (reward or penalty) gives the sign."""
    try:
        points = int(str(text).strip())
    except ValueError:
        raise InvalidInput(f"--points {text!r} is not a whole number (say --points 5)") from None
    if points < 0:
        raise InvalidInput(f"--points {points} is negative; give points as a number ≥ 0 (--kind {kind} says "
                           "which way they count)")
    if points > MAX_POINTS:
        raise InvalidInput(f"--points {points} is more than {MAX_POINTS}")
    return points


def parse_amount(text: str | Decimal | None, *, kind: str) -> Decimal | None:
    """Money ≥ 0 with at most two decimals (exact, never a float); None when not given."""
    if text is None or str(text).strip() == "":
        return None
    return parse_money(str(text), option="--amount", most=MAX_AMOUNT, positive=False,
                       hint=f" (--kind {kind} says which way it counts)")


def cents(amount: Decimal | None) -> int | None:
    return None if amount is None else to_cents(amount)


def money(amount_cents: int | None) -> Decimal | None:
    return None if amount_cents is None else from_cents(amount_cents)


def _check_choice(value: str, choices: tuple[str, ...], option: str) -> str:
    value = value.strip().lower()
    if value not in choices:
        raise InvalidInput(f"{option} is one of {', '.join(choices)}; got {value!r}")
    return value


def _require_decider(session: Session, actor: Employee, person: Employee, *, action: str) -> None:
    if actor.id == person.id:
        raise NotAllowed(f"nobody may {action} their own reward or penalty; {person.login}'s manager, HR or an "
                         "admin does")
    if not access.may_approve(access.OrgChart.load(session), actor, person):
        raise NotAllowed(f"{actor.login} may not {action} {person.login}'s rewards and penalties: only their "
                         "manager, HR or an admin may")


def add_merit(
    session: Session, *, actor: Employee, now: datetime, person: Employee, kind: str, category: str,
    points: str | int, reason: str, amount: str | Decimal | None = None, cycle: Period | None = None,
    source: str = "other", suggestion: str | None = None,
) -> Merit:
    """A reward or penalty for ``person``, pending approval."""
    from opsctl.services.config import get_setting

    kind = _check_choice(kind, MERIT_KINDS, "--kind")
    source = _check_choice(source, MERIT_SOURCES, "--source")
    if not person.active:
        raise InvalidInput(f"{person.login} left on {person.left}; rewards and penalties are for active employees")
    _require_decider(session, actor, person, action="add")
    category = category.strip()
    if not 1 <= len(category) <= 60:
        raise InvalidInput("--category is 1–60 characters (say --category bonus, commendation, warning …)")
    value = parse_amount(amount, kind=kind)
    merit = Merit(
        employee_id=person.id or 0, kind=kind, category=category, points=parse_points(points, kind=kind),
        amount_cents=cents(value), reason=access.check_reason(reason), cycle=cycle.label if cycle else None,
        source=source, suggestion=suggestion, status="pending",
        levels=2 if value is not None and value > Decimal(get_setting(session, "merit.two_level_amount")) else 1,
        created_by_id=actor.id or 0, created_at=now,
    )
    session.add(merit)
    session.flush()
    audit.record(session, now=now, actor=actor, action="merit.add", entity="merit", entity_id=merit.id,
                 subject=person, details={"kind": kind, "category": category, "points": merit.points,
                                          "amount": value, "cycle": merit.cycle, "suggestion": suggestion})
    return merit


def get_merit(session: Session, merit_id: int, *, lock: bool = False) -> Merit:
    merit = lock_row(session, Merit, merit_id) if lock else session.get(Merit, merit_id)
    if merit is None:
        raise NotFound(f"no reward or penalty #{merit_id}; see `opsctl merit list`")
    return merit


def _person(session: Session, merit: Merit) -> Employee:
    person = session.get(Employee, merit.employee_id)
    assert person is not None  # a foreign key
    return person


def approve_merit(session: Session, *, actor: Employee, now: datetime, merit_id: int) -> Merit:
    """One level of approval; the entry counts once every level it needs has approved."""
    merit = get_merit(session, merit_id, lock=True)
    person = _person(session, merit)
    if merit.status != "pending":
        raise Conflict(f"#{merit.id} is already {merit.status}")
    _require_decider(session, actor, person, action="approve")
    if actor.id == merit.created_by_id:
        raise NotAllowed(f"#{merit.id} was proposed by {actor.login}: somebody else (their manager, HR or an "
                         "admin) approves it")
    first = merit.approved_by_id is None
    if not first:
        chart = access.OrgChart.load(session)
        if actor.id == merit.approved_by_id:
            raise NotAllowed(f"{actor.login} approved #{merit.id} already; its amount needs a second approver "
                             "(HR, an admin, or a manager above the first)")
        if not (access.is_hr_or_admin(actor) or chart.manages(actor.id, merit.approved_by_id)):
            raise NotAllowed(f"the second approval of #{merit.id} is for HR, an admin or a manager above the "
                             "first approver")
        merit.second_approved_by_id, merit.second_approved_at = actor.id, now
    else:
        merit.approved_by_id, merit.approved_at = actor.id, now
    if merit.levels == 1 or not first:
        merit.status = "approved"
    session.flush()
    audit.record(session, now=now, actor=actor, action="merit.approve", entity="merit", entity_id=merit.id,
                 subject=person, details={"level": 1 if first else 2, "status": merit.status})
    return merit


def revoke_merit(session: Session, *, actor: Employee, now: datetime, merit_id: int, reason: str) -> Merit:
    """Withdraw a pending or approved entry (it stays listed, revoked, and no longer counts)."""
    merit = get_merit(session, merit_id, lock=True)
    person = _person(session, merit)
    if merit.status == "revoked":
        raise Conflict(f"#{merit.id} was revoked already on {merit.revoked_at:%Y-%m-%d}" if merit.revoked_at
                       else f"#{merit.id} was revoked already")
    _require_decider(session, actor, person, action="revoke")
    reason = access.check_reason(reason)
    was = merit.status
    merit.status, merit.revoked_by_id, merit.revoked_at, merit.revoke_reason = "revoked", actor.id, now, reason
    session.flush()
    audit.record(session, now=now, actor=actor, action="merit.revoke", entity="merit", entity_id=merit.id,
                 subject=person, details={"was": was, "reason": reason})
    return merit


# -- reading ------------------------------------------------------------------------------

def _query() -> Any:
    person_t, creator_t, first_t, second_t = (aliased(Employee) for _ in range(4))
    return (sa_select(Merit, col(person_t.login), col(person_t.name), col(creator_t.login), col(first_t.login),
                      col(second_t.login))
            .join(person_t, col(Merit.employee_id) == person_t.id)
            .join(creator_t, col(Merit.created_by_id) == creator_t.id)
            .join(first_t, col(Merit.approved_by_id) == first_t.id, isouter=True)
            .join(second_t, col(Merit.second_approved_by_id) == second_t.id, isouter=True))


def merit_row(found: Any) -> dict[str, Any]:
    merit, login, name, creator, first, second = found
    waiting = ("first approval" if merit.approved_by_id is None else "second approval") \
        if merit.status == "pending" else None
    return {
        "id": merit.id, "login": login, "name": name, "kind": merit.kind, "category": merit.category,
        "points": merit.points if merit.kind == "reward" else -merit.points, "amount": signed(merit),
        "reason": merit.reason, "cycle": merit.cycle, "source": merit.source, "suggestion": merit.suggestion,
        "status": merit.status, "waiting_for": waiting, "levels": merit.levels, "created_by": creator,
        "created_at": merit.created_at, "approved_by": first, "approved_at": merit.approved_at,
        "second_approved_by": second, "second_approved_at": merit.second_approved_at,
        "revoked_at": merit.revoked_at, "revoke_reason": merit.revoke_reason,
    }


def signed(merit: Merit) -> Decimal | None:
    amount = money(merit.amount_cents)
    return amount if amount is None or merit.kind == "reward" else -amount


def list_merits(
    session: Session, *, viewer: Employee, person: Employee | None = None, cycle: Period | None = None,
    status: str | None = None, kind: str | None = None,
) -> list[dict[str, Any]]:
    """The entries ``viewer`` may see (the `merits` row of `SIGHT`), newest first."""
    query = _query().where(*access.seen_rows(session, viewer, col(Merit.employee_id), "merits", person=person,
                                             what="rewards and penalties"))
    if cycle is not None:
        query = query.where(Merit.cycle == cycle.label)
    if status is not None:
        query = query.where(Merit.status == _check_choice(status, MERIT_STATUSES, "--status"))
    if kind is not None:
        query = query.where(Merit.kind == _check_choice(kind, MERIT_KINDS, "--kind"))
    return [merit_row(found) for found in session.execute(query.order_by(col(Merit.id).desc()))]


def show_merit(session: Session, *, viewer: Employee, merit_id: int) -> dict[str, Any]:
    merit = get_merit(session, merit_id)
    access.require_see(session, viewer, _person(session, merit), "merits", what="rewards and penalties")
    return merit_row(session.execute(_query().where(col(Merit.id) == merit_id)).one())


def merit_totals(session: Session, employee_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Each person's approved entries summed (rewards up, penalties down): points, amount (Decimal),
    entries. One query; people with none are left out."""
    totals: dict[int, dict[str, Any]] = {}
    for eid, kind, points, amount in session.exec(
        select(col(Merit.employee_id), col(Merit.kind), col(Merit.points), col(Merit.amount_cents))
        .where(Merit.status == "approved", col(Merit.employee_id).in_(employee_ids))
    ):
        sign = 1 if kind == "reward" else -1
        row = totals.setdefault(eid, {"points": 0, "amount_cents": 0, "entries": 0})
        row["points"] += sign * points
        row["amount_cents"] += sign * (amount or 0)
        row["entries"] += 1
    return {eid: {"points": row["points"], "amount": money(row["amount_cents"]), "entries": row["entries"]}
            for eid, row in totals.items()}


def person_merits(session: Session, *, viewer: Employee, person: Employee) -> dict[str, Any]:
    """For `people profile`: the person's totals and entries (what ``viewer`` may see: none otherwise)."""
    if not access.can_see(session, viewer, person, "merits"):
        return {"points": None, "amount": None, "entries": []}
    total = merit_totals(session, [person.id or 0]).get(person.id or 0, {"points": 0, "amount": money(0)})
    return {"points": total["points"], "amount": total["amount"],
            "entries": list_merits(session, viewer=viewer, person=person)}


def add_merit_totals(session: Session, *, viewer: Employee, rows: list[dict[str, Any]]) -> None:
    """``rows`` (each with a ``login``) get ``merit_points`` and ``merit_amount``: the person's approved
    total, for the people whose rewards and penalties ``viewer`` may see (None for the others)."""
    people = list(session.exec(select(Employee).where(col(Employee.login).in_([row["login"] for row in rows]))))
    shown = access.visible_ids(session, viewer, people, "merits")
    ids = {p.login: p.id or 0 for p in people if p.id in shown}
    totals = merit_totals(session, list(ids.values()))
    for row in rows:
        eid = ids.get(row["login"])
        total = totals.get(eid or 0, {"points": 0, "amount": money(0)}) if eid is not None else None
        row["merit_points"] = total["points"] if total else None
        row["merit_amount"] = total["amount"] if total else None
