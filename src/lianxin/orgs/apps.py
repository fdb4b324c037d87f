from django.utils.translation import gettext_lazy as _

from lianxin.core import modules
from lianxin.core.nav import NavEntry


class OrgsConfig(modules.LianxinApp):
    name = "lianxin.orgs"
    label = "orgs"
    verbose_name = _("Organisations")
    nav = (
        NavEntry("orgs", _("Organisations"), "orgs:tree", "⚑", group="organisation"),
        NavEntry("orgs_import", _("Import organisations"), "orgs:import", "⇪", group="organisation"),
    )

    def register(self):
        from lianxin.core import audit

        from .models import Org

        audit.register(Org, exclude=["path", "depth", "updated_at"])
