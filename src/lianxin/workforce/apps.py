from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "lianxin.workforce"
    label = "workforce"
    verbose_name = _("New-economy workers")

    def ready(self):
        from . import roles  # noqa: F401
