"""What each app contributes, declared in its AppConfig and found through the app registry.

An app's config subclasses ``LianxinApp`` and declares:

- ``nav``: its menu entries (``core.nav.NavEntry``), each naming the roles that see it;
- ``register()``: its roles and permissions (``core.roles``), home widgets (``core.widgets``) and audited
  models (``core.audit``), registered once when the app is ready;
- ``figures()``: its statistics (``core.figures.FigureSet``), read by dashboards and reports;
- ``seed_demo(demo)`` and ``demo_logins``: its part of the demo, given a ``DemoContext`` by the seeder;
- ``extend_world(world)``: its records in the shared test world.

An apps.py refers to the base as ``modules.LianxinApp`` (``from lianxin.core import modules``): a config class
imported by name into apps.py would be a second candidate, and Django would then use neither. Nothing lists the
modules: ``lianxin_apps()`` walks ``apps.get_app_configs()`` in INSTALLED_APPS order, which
puts every app after the apps it depends on. A module imports neither the seeder nor the test world: each is
handed to it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Protocol

from django.apps import AppConfig, apps

from .nav import NavEntry, register_nav

if TYPE_CHECKING:
    from .figures import FigureSet


class DemoContext(Protocol):
    """What the demo seeder gives a module's ``seed_demo``: a random source and realistic people."""

    rng: random.Random
    password: str  # of every demo login (published with the demo)

    def name(self, gender: str) -> str:
        """A plausible Chinese full name for gender "m" or "f"."""

    def phone(self) -> str:
        """A mobile number not used by anyone in the demo yet."""

    def person(self, kinds: Sequence[str], area, *, years: tuple[int, int], party: float = 0.05,
               male: float = 0.5, org=None, phone: str | None = None, name: str | None = None):
        """A person created through the people services, born in ``years``, living in ``area``."""


class LianxinApp(AppConfig):
    """Base of every Lianxin app's configuration: what the app adds, declared in one place."""

    #: Menu entries the app adds.
    nav: Sequence[NavEntry] = ()
    #: (username, role) of the demo logins its ``seed_demo`` creates (printed with the base demo's).
    demo_logins: Sequence[tuple[str, str]] = ()

    def ready(self) -> None:
        self.register()
        for entry in self.nav:
            register_nav(entry)

    def register(self) -> None:
        """Register the app's roles and permissions, widgets and audited models (imports inside: the app
        registry is ready only now)."""

    def figures(self) -> Sequence[FigureSet]:
        """The app's statistics figures for any areas and period."""
        return ()

    def seed_demo(self, demo: DemoContext) -> str | None:
        """Fill the app's demo screens after the base demo and its cases; a line for the seeding log."""
        return None

    def extend_world(self, world) -> None:
        """Add one record per community of each scoped model to the test world (``world.samples``)."""


def lianxin_apps() -> Iterator[LianxinApp]:
    for config in apps.get_app_configs():
        if isinstance(config, LianxinApp):
            yield config


def figure_sets() -> list[FigureSet]:
    return [figure_set for app in lianxin_apps() for figure_set in app.figures()]


def demo_logins() -> list[tuple[str, str]]:
    return [login for app in lianxin_apps() for login in app.demo_logins]

