from django.utils.translation import gettext_lazy as _

from lianxin.core import modules
from lianxin.core.nav import NavEntry


class AccountsConfig(modules.LianxinApp):
    name = "lianxin.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    nav = (
        NavEntry("accounts", _("Accounts"), "accounts:list", "⚙", group="configuration"),
        NavEntry("accounts_import", _("Import accounts"), "accounts:import", "⇪", group="configuration"),
    )

    def register(self):
        from lianxin.core import audit

        from . import roles  # noqa: F401  (registers the foundation's roles)
        from .models import RoleGrant, User

        audit.register(User, exclude=["password", "last_login"])
        audit.register(RoleGrant)
