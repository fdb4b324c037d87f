from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "lianxin.stations"
    label = "stations"
    verbose_name = _("Workers' stations")

    def ready(self):
        from lianxin.core import audit
        from lianxin.core.nav import register_nav
        from lianxin.core.roles import ROLES, add_nav

        from . import roles, widgets  # noqa: F401  (widgets: the home page card)
        from .models import Station

        audit.register(Station, exclude=["token", "updated_at"], personal=["public_phone"])
        register_nav("stations", _("Stations"), "stations:list", "⌂")
        register_nav("station_stats", _("Station statistics"), "stations:stats", "▤")
        register_nav("station_finder", _("Find a station"), "stations:find", "◎")
        for role in (*roles.STAFF, "station_manager"):
            add_nav(role, "stations", "station_stats")
        for role in ROLES:  # everyone may open the public finder; riders and grid workers most of all
            add_nav(role, "station_finder")
