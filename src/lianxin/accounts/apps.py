from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lianxin.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from lianxin.core import audit
        from lianxin.core.nav import register_nav

        from . import roles  # noqa: F401  (registers the foundation's roles)
        from .models import RoleGrant, User

        audit.register(User, exclude=["password", "last_login"])
        audit.register(RoleGrant)
        register_nav("accounts", _("Accounts"), "accounts:list", "⚙")
        register_nav("accounts_import", _("Import accounts"), "accounts:import", "⇪")
