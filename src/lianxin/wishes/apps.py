from django.utils.translation import gettext_lazy as _

from lianxin.core import modules
from lianxin.core.nav import NavEntry


class WishesConfig(modules.LianxinApp):
    name = "lianxin.wishes"
    label = "wishes"
    verbose_name = _("Micro-wishes")
    nav = (NavEntry("wishes", _("Micro-wishes"), "wishes:board", "♡", group="care",
                    roles=("volunteer", "community_staff", "town_staff", "county_staff", "administrator")),)

    def register(self):
        from lianxin.cases.types import register_type
        from lianxin.core.roles import add_nav

        from . import roles  # noqa: F401
        from .types import wish_type

        register_type(wish_type())
        add_nav("volunteer", "tasks")  # the wishes dispatched to the volunteer's studio
