"""The domain: plain functions taking a Session, one package per area.

Areas: people, attendance, leave, projects, tasks, meetings, kpi, merits, training, workreports (each a
package: ``services/attendance/rules.py`` …). Shared by every area, at this level:
access (the org chart), audit and audit_chain, config, locks, maintenance, setup, today.

They validate, raise OpsctlError subclasses with messages written for the user, and
flush but never commit: the command's session scope commits once.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def public_api(package: str, api: dict[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of an area package whose ``api`` maps each public name
    to the module defining it: a name loads its module on first use (PEP 562), so importing the
    package stays cheap and a command loads only what it uses."""
    namespace = importlib.import_module(package).__dict__

    def getattr_(name: str) -> Any:
        if name not in api:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{api[name]}"), name)
        namespace[name] = value  # found directly next time
        return value

    def dir_() -> list[str]:
        return sorted({*namespace, *api})

    return getattr_, dir_
