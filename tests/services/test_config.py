"""Settings (services/config.py): who may read them."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from opsctl.errors import NotAllowed
from opsctl.models.people import Employee
from opsctl.services.config import setting_rows, show_setting
from tests.conftest import People
from tests.services.conftest import refusal


def test_any_employee_reads_the_settings_and_nobody_else(session: Session, people: People, outsider: Employee) -> None:
    assert show_setting(session, viewer=people.sam, key="timezone") == "Asia/Shanghai"
    assert "timezone" in [row["key"] for row in setting_rows(session, viewer=people.sam)]
    with pytest.raises(NotAllowed, match=refusal(outsider)):
        setting_rows(session, viewer=outsider)
    with pytest.raises(NotAllowed, match=refusal(outsider)):
        show_setting(session, viewer=outsider, key="timezone")
