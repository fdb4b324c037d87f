""""In my area" on the home page: how many areas, organisations and people the user's roles reach."""

from django.utils.translation import gettext_lazy as _

from lianxin.core.widgets import Widget, register_widget


def _scope_counts(request):
    from lianxin.areas.models import Area
    from lianxin.orgs.models import Org

    from .models import Person

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
