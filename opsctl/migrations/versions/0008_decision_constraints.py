"""Decisions: one KPI cycle for everybody per period, as a unique index (cycles of one team
had one already; a cycle with no team was only checked by the program, and concurrent
`kpi cycle open` on PostgreSQL could store several).

Cycles stored twice that way are merged first into the oldest of them: their scores move
to it (a score that the oldest has from the same rater already is dropped), and the
copies are deleted. Nobody could close them (every command asked which one), so they hold
no frozen members.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None

INDEX = "uq_kpi_cycle_name_everybody"
SAME_SCORE = ("kept.employee_id = kpi_score.employee_id AND kept.indicator = kpi_score.indicator "
              "AND kept.role = kpi_score.role AND kept.rater_id = kpi_score.rater_id")


def _merge_copies(conn: sa.engine.Connection) -> None:
    kept: dict[str, int] = {}
    for name, cycle_id in conn.execute(sa.text(
            "SELECT name, id FROM kpi_cycle WHERE team_id IS NULL ORDER BY name, id")):
        if name not in kept:
            kept[name] = cycle_id
            continue
        ids = {"keep": kept[name], "copy": cycle_id}
        conn.execute(sa.text(
            "UPDATE kpi_score SET cycle_id = :keep WHERE cycle_id = :copy AND NOT EXISTS "
            f"(SELECT 1 FROM kpi_score AS kept WHERE kept.cycle_id = :keep AND {SAME_SCORE})"), ids)
        for table in ("kpi_score", "kpi_member"):
            conn.execute(sa.text(f"DELETE FROM {table} WHERE cycle_id = :copy"), ids)
        conn.execute(sa.text("DELETE FROM kpi_cycle WHERE id = :copy"), ids)


def upgrade() -> None:
    _merge_copies(op.get_bind())
    op.create_index(INDEX, "kpi_cycle", ["name"], unique=True, sqlite_where=sa.text("team_id IS NULL"),
                    postgresql_where=sa.text("team_id IS NULL"))


def downgrade() -> None:
    op.drop_index(INDEX, table_name="kpi_cycle")
