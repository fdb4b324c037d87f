from django.utils.translation import gettext_lazy as _

from lianxin.core import modules
from lianxin.core.nav import NavEntry

STAFF = ("talent_officer", "county_staff", "org_department", "administrator", "town_staff", "community_staff")


class TalentConfig(modules.LianxinApp):
    name = "lianxin.talent"
    label = "talent"
    verbose_name = _("Talent work")
    nav = (
        NavEntry("talents", _("Talent registry"), "talent:list", "★", group="talent", roles=STAFF),
        NavEntry("talent_demands", _("Demand pool"), "talent:demands", "▦", group="talent", roles=STAFF),
        NavEntry("talent_events", _("Job fairs"), "talent:events", "☷", group="talent", roles=STAFF),
        NavEntry("talent_apartments", _("Talent apartments"), "talent:apartments", "⌂", group="talent",
                 roles=STAFF),
        NavEntry("talent_money", _("Subsidies and loans"), "talent:money", "¥", group="talent", roles=STAFF),
        NavEntry("talent_stats", _("Talent figures"), "talent:stats", "▤", group="talent", roles=STAFF),
    )
    demo_logins = (("wenshang_talent", "talent_officer"),)

    def register(self):
        from lianxin.cases.types import register_type
        from lianxin.core import audit

        from . import roles, services  # noqa: F401  (roles; services registers the duty kinds)
        from .models import Hire, Loan, Subsidy, Talent
        from .types import request_type

        register_type(request_type())
        audit.register(Talent, exclude=["updated_at"])
        audit.register(Hire, personal=["phone"])
        audit.register(Subsidy)
        audit.register(Loan)

    def figures(self):
        from .stats import FIGURES

        return (FIGURES,)

    def seed_demo(self, demo):
        from .demo import seed

        return seed(demo)

    def extend_world(self, world):
        from .testing import extend

        extend(world)
