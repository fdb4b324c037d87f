from django.utils.translation import gettext_lazy as _

from lianxin.core import modules
from lianxin.core.nav import ALL_ROLES, NavEntry

STAFF = ("community_staff", "town_staff", "county_staff", "org_department", "administrator", "station_manager")


class StationsConfig(modules.LianxinApp):
    name = "lianxin.stations"
    label = "stations"
    verbose_name = _("Workers' stations")
    nav = (
        NavEntry("stations", _("Stations"), "stations:list", "⌂", group="newgroups", roles=STAFF),
        NavEntry("station_stats", _("Station statistics"), "stations:stats", "▤", group="newgroups", roles=STAFF),
        # Everyone may open the public finder; riders and grid workers most of all.
        NavEntry("station_finder", _("Find a station"), "stations:find", "◎", group="newgroups", roles=ALL_ROLES),
    )

    def register(self):
        from lianxin.core import audit

        from . import roles, widgets  # noqa: F401  (widgets: the home page card)
        from .models import Station

        audit.register(Station, exclude=["token", "updated_at"], personal=["public_phone"])

    def figures(self):
        from .stats import FIGURES

        return (FIGURES,)

    def seed_demo(self, demo):
        from .demo import seed

        return seed(demo)

    def extend_world(self, world):
        from .testing import extend

        extend(world)
