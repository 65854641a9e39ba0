"""Registries list their parts in one place, and nothing is left out of them.

Pages (``pages.register_pages``), API routers (``api.routes.ROUTERS``), tables (``models.__all__``) and
the ``ag-app`` sub-command groups (``cli/__init__.py``) are each one declaration; a module that
defines a part but is missing from its registry would silently not be served.
"""

import importlib
import pkgutil

from fastapi import APIRouter
from sqlmodel import SQLModel

import ag_app.api
import ag_app.models
import ag_app.pages
from ag_app.api.routes import ROUTERS
from ag_app.cli import app as cli_app


class _App:
    """Records what ``register_pages`` adds."""

    def __init__(self) -> None:
        self.routes: list[str] = []

    def add_page(self, page, *, route, title, on_load) -> None:
        self.routes.append(route)


def _modules(package) -> list[str]:
    return [m.name for m in pkgutil.iter_modules(package.__path__)]


def test_every_page_module_is_registered_once():
    app = _App()
    ag_app.pages.register_pages(app)
    declared = [
        route
        for name in _modules(ag_app.pages)
        for route, *_ in getattr(importlib.import_module(f"ag_app.pages.{name}"), "PAGES", ())
    ]
    assert declared, "no page module declares PAGES"
    assert sorted(app.routes) == sorted(declared)
    assert len(set(app.routes)) == len(app.routes)


def test_every_api_router_is_served_once():
    defined = [
        router
        for name in _modules(ag_app.api)
        if isinstance(
            router := getattr(importlib.import_module(f"ag_app.api.{name}"), "router", None), APIRouter
        )
    ]
    assert len(defined) > 15
    assert sorted(map(id, ROUTERS)) == sorted(map(id, defined))


def test_every_table_is_exported_by_models():
    tables = {
        cls.__name__ for cls in SQLModel.__subclasses__() if getattr(cls, "__table__", None) is not None
    }
    tables |= {
        cls.__name__
        for name in _modules(ag_app.models)
        for cls in vars(importlib.import_module(f"ag_app.models.{name}")).values()
        if isinstance(cls, type) and issubclass(cls, SQLModel) and hasattr(cls, "__table__")
    }
    assert "Poll" in tables and "JobRun" in tables
    assert sorted(tables - set(ag_app.models.__all__)) == []
    assert ag_app.models.__all__ == sorted(ag_app.models.__all__)


def test_cli_groups_and_commands():
    groups = [group.name for group in cli_app.registered_groups]
    assert groups == ["bench", "promo", "jobs"]
    commands = [command.name or command.callback.__name__ for command in cli_app.registered_commands]
    assert commands[:4] == ["migrate", "banner", "serve", "seed"]
    assert {"import-houses", "verify-open-data", "verify-rating", "protocol-sample", "badges"} <= set(
        commands
    )
