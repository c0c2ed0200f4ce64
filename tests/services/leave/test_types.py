"""Leave types (services/leave/types.py): who may read them."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from opsctl.errors import NotAllowed
from opsctl.models.people import Employee
from opsctl.services.leave.types import type_rows
from tests.conftest import People
from tests.services.conftest import refusal


def test_any_employee_reads_the_leave_types_and_nobody_else(
    session: Session, people: People, outsider: Employee
) -> None:
    assert "annual" in [row["code"] for row in type_rows(session, viewer=people.sam)]
    with pytest.raises(NotAllowed, match=refusal(outsider)):
        type_rows(session, viewer=outsider)
