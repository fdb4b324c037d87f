from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewgroupsConfig(AppConfig):
    name = "lianxin.newgroups"
    label = "newgroups"
    verbose_name = _("New-economy firms and party coverage")

    def ready(self):
        from . import roles  # noqa: F401
