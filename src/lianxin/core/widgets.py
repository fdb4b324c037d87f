"""The "my work" home page is made of widgets; each says which roles see it. Modules add their own."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

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


def _scope_counts(request):
    from lianxin.areas.models import Area
    from lianxin.orgs.models import Org
    from lianxin.people.models import Person

    user = request.user
    return {"rows": [
        (_("Areas"), Area.objects.visible_to(user).count(), "areas:tree"),
        (_("Organisations"), Org.objects.visible_to(user).count(), "orgs:tree"),
        (_("People"), Person.objects.visible_to(user).count(), "people:list"),
    ]}


register_widget(Widget(
    "scope", _("In my area"),
    {"grid_worker", "community_staff", "town_staff", "county_staff", "department_handler",
     "industry_committee_staff", "org_department", "administrator"},
    _scope_counts,
))
