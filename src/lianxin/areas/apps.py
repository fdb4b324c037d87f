from django.utils.translation import gettext_lazy as _

from lianxin.core import modules
from lianxin.core.nav import NavEntry


class AreasConfig(modules.LianxinApp):
    name = "lianxin.areas"
    label = "areas"
    verbose_name = _("Areas")
    nav = (
        NavEntry("areas", _("Areas"), "areas:tree", "▦", group="organisation"),
        NavEntry("areas_import", _("Import areas"), "areas:import", "⇪", group="organisation"),
    )

    def register(self):
        from lianxin.core import audit, configcache

        from .models import Area

        configcache.watch(Area)
        audit.register(Area, exclude=["path", "depth", "min_lng", "min_lat", "max_lng", "max_lat", "updated_at"])
