""""My work" widget of stations: the stations in reach, those open now, and this month's person-times."""

from datetime import datetime, time

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianxin.core.widgets import Widget, register_widget

from .roles import STAFF


def _stations(request):
    from lianxin.core import clock
    from lianxin.workdays.calendar import tz

    from .models import CheckIn, Station

    now = clock.now()
    stations = list(Station.objects.visible_to(request.user).filter(active=True).only("pk", "hours", "active"))
    month = datetime.combine(now.astimezone(tz()).date().replace(day=1), time.min, tzinfo=tz())
    served = CheckIn.objects.visible_to(request.user).filter(at__gte=month).count()
    return {"rows": [(_("Stations in service"), len(stations), reverse("stations:list") + "?active=1"),
                     (_("Open now"), sum(1 for s in stations if s.is_open(now)), reverse("stations:list")),
                     (_("Person-times this month"), served, reverse("stations:stats"))]}


register_widget(Widget("stations", _("Stations"), {"station_manager", *STAFF}, _stations, "cases/widget_links.html"))
