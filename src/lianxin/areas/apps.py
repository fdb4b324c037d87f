from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "lianxin.areas"
    label = "areas"
    verbose_name = _("Areas")

    def ready(self):
        from lianxin.core import audit, configcache
        from lianxin.core.nav import register_nav

        from .models import Area

        configcache.watch(Area)
        audit.register(Area, exclude=["path", "depth", "min_lng", "min_lat", "max_lng", "max_lat", "updated_at"])
        register_nav("areas", _("Areas"), "areas:tree", "▦")
