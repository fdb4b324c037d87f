from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "lianxin.stations"
    label = "stations"
    verbose_name = _("Workers' stations")

    def ready(self):
        from . import roles  # noqa: F401
