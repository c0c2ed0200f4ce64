"""KPI templates (services/kpi/templates.py): who may read them."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from opsctl.errors import NotAllowed
from opsctl.models.people import Employee
from opsctl.services.kpi.templates import list_templates, template_details
from tests.conftest import People
from tests.services.conftest import refusal


def test_any_employee_reads_the_templates_and_nobody_else(
    session: Session, people: People, outsider: Employee
) -> None:
    assert [row["name"] for row in list_templates(session, viewer=people.sam)] == ["standard"]
    assert template_details(session, "standard", viewer=people.sam)["indicator_list"]
    with pytest.raises(NotAllowed, match=refusal(outsider)):
        list_templates(session, viewer=outsider)
    with pytest.raises(NotAllowed, match=refusal(outsider)):
        template_details(session, "standard", viewer=outsider)
