from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "lianxin.orgs"
    label = "orgs"
    verbose_name = _("Organisations")

    def ready(self):
        from lianxin.core import audit
        from lianxin.core.nav import register_nav

        from .models import Org

        audit.register(Org, exclude=["path", "depth", "updated_at"])
        register_nav("orgs", _("Organisations"), "orgs:tree", "⚑")
