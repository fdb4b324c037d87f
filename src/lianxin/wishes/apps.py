from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WishesConfig(AppConfig):
    name = "lianxin.wishes"
    label = "wishes"
    verbose_name = _("Micro-wishes")

    def ready(self):
        from lianxin.cases.types import register_type
        from lianxin.core.nav import register_nav

        from .types import wish_type

        register_type(wish_type())
        register_nav("wishes", _("Micro-wishes"), "wishes:board", "♡")
        from . import roles  # noqa: F401
