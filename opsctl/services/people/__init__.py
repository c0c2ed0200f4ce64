"""People: employees, their teams and leads, and the CSV import.

Modules:

    employees  Employees
    imports    `people import`
    teams      Teams

The names below are the area's public API, for the other areas and layers
(`from opsctl.services.people import ...`). Each loads its module on first use
(PEP 562), so importing the package stays cheap and a command loads only what it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsctl.services import public_api

if TYPE_CHECKING:
    from opsctl.services.people.employees import (
        UNCHANGED,
        add_person,
        deactivate_person,
        edit_person,
        get_person,
        get_team,
        list_people,
        loose_ends,
        person_details,
        reactivate_person,
        resolve_actor,
        show_person,
    )
    from opsctl.services.people.imports import import_people
    from opsctl.services.people.teams import add_team, edit_team, list_teams, show_team

# name -> the module of this package that defines it
_API: dict[str, str] = {
    "UNCHANGED": "employees",
    "add_person": "employees",
    "deactivate_person": "employees",
    "edit_person": "employees",
    "get_person": "employees",
    "get_team": "employees",
    "list_people": "employees",
    "loose_ends": "employees",
    "person_details": "employees",
    "reactivate_person": "employees",
    "resolve_actor": "employees",
    "show_person": "employees",
    "import_people": "imports",
    "add_team": "teams",
    "edit_team": "teams",
    "list_teams": "teams",
    "show_team": "teams",
}

__all__ = [
    "UNCHANGED", "add_person", "add_team", "deactivate_person", "edit_person", "edit_team", "get_person",
    "get_team", "import_people", "list_people", "list_teams", "loose_ends", "person_details", "reactivate_person",
    "resolve_actor", "show_person", "show_team",
]


__getattr__, __dir__ = public_api(__name__, _API)
