"""The "my work" home page is made of widgets; each says which roles see it. Modules add their own."""

from collections.abc import Callable
from dataclasses import dataclass

from .visibility import user_grants


@dataclass
class Widget:
    name: str
    title: object
    roles: set[str]
    context: Callable  # (request) -> dict for the template
    template: str = "core/widget_counts.html"


WIDGETS: list[Widget] = []


def register_widget(widget: Widget) -> None:
    WIDGETS.append(widget)


def widgets_for(request) -> list[tuple[Widget, dict]]:
    roles = {g.role for g in user_grants(request.user)}
    shown = []
    for w in WIDGETS:
        if request.user.is_superuser or roles & w.roles:
            shown.append((w, w.context(request)))
    return shown

