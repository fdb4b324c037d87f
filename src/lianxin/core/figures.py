"""Statistics figures, declared by each app (``LianxinApp.figures``) and read by dashboards and reports.

A ``FigureSet`` is one app's figures computed together: ``compute(user, areas, start, end)`` gives, for each
area (by pk), the value of each figure over the records ``user`` may view in the area's subtree, for the local
days ``start`` to ``end`` (both included, Asia/Shanghai). A value is a number, or None where it is not defined
(a rate without a denominator). Rates are fractions (0.75), shown as percentages.

A set may also say which records stand behind a figure: ``records(user, area, start, end, key)`` gives the
queryset of the records a count figure counts (visible to ``user``, in ``area``'s subtree, for the period), or
None for a figure it cannot list (a rate, a state recomputed from history). Reports link each number to that
list (the drill-down); a set without ``records`` is shown without links.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import pgettext_lazy

Value = int | float | None
Compute = Callable[[object, Sequence, date, date], Mapping[int, Mapping[str, Value]]]
Records = Callable[[object, object, date, date, str], "models.QuerySet | None"]


class Unit(models.TextChoices):
    """How a figure is counted, which is also how it is shown (a rate as a percentage)."""

    COUNT = "count", pgettext_lazy("unit", "items")
    PEOPLE = "people", pgettext_lazy("unit", "people")
    PERSON_TIMES = "person_times", pgettext_lazy("unit", "person-times")
    HOUSEHOLDS = "households", pgettext_lazy("unit", "households")
    RATE = "rate", pgettext_lazy("unit", "rate")  # a fraction: 0.75
    PERCENT = "percent", pgettext_lazy("unit", "%")  # already a percentage: 75.0
    YUAN = "yuan", pgettext_lazy("unit", "yuan")


@dataclass(frozen=True)
class Figure:
    key: str  # unique within its set
    label: object
    unit: Unit = Unit.COUNT


@dataclass(frozen=True)
class FigureSet:
    app: str  # the declaring app's label; ``code`` of a figure is "<app>.<key>"
    label: object
    figures: tuple[Figure, ...]
    compute: Compute
    records: Records | None = None  # the records behind a figure (see the module docstring)

    def __iter__(self):
        """(key, label) of each figure, in order: what a table's columns need."""
        return ((f.key, f.label) for f in self.figures)

    def keys(self) -> list[str]:
        return [f.key for f in self.figures]

    def code(self, figure: Figure) -> str:
        return f"{self.app}.{figure.key}"

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)

    def records_of(self, user, area, start: date, end: date, key: str):
        """The records behind figure ``key`` (a queryset), or None where the set does not list them."""
        if self.records is None or self.figure(key) is None:
            return None
        return self.records(user, area, start, end, key)


def percent(value: Value) -> float | None:
    """A rate (fraction) as a percentage with one decimal, for display."""
    return None if value is None else round(value * 100, 1)


RATES = (Unit.RATE, Unit.PERCENT)


def shown(value: Value, unit) -> str:
    """A value as pages and documents write it: a rate as a percentage with one decimal, "—" for no value."""
    if value is None:
        return "—"
    if unit == Unit.RATE:
        return f"{percent(value)}%"
    if unit == Unit.PERCENT:
        return f"{value}%"
    if isinstance(value, float):
        return f"{value:.1f}" if value != int(value) else str(int(value))
    return str(value)
