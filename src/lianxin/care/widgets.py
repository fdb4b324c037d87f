""""My work" widget of retired-cadre care: my retirees' contacts and visits due this month and overdue."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianxin.core.widgets import Widget, register_widget


def _mine(request):
    from .queries import my_obligations

    rows = my_obligations(request.user)
    url = reverse("care:mine")
    return {"rows": [(_("Due this month"), sum(1 for o in rows if o.status != "red"), url),
                     (_("Overdue"), sum(1 for o in rows if o.status == "red"), url)]}


register_widget(Widget("care_mine", _("My retirees"), {"care_cadre", "family_doctor"}, _mine,
                       "cases/widget_links.html"))
