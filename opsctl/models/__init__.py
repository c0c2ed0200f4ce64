"""SQLModel tables, one module per area.

Modules are imported by the code that needs them (start-up cost); ``load_all``
imports every one, for migrations checks and tests that need the whole schema.
"""

from __future__ import annotations


def load_all() -> None:
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
