from django.utils.translation import gettext_lazy as _

from lianxin.core import modules
from lianxin.core.nav import NavEntry

MANAGERS = ("community_staff", "town_staff", "county_staff", "org_department", "administrator")


class WorkforceConfig(modules.LianxinApp):
    name = "lianxin.workforce"
    label = "workforce"
    verbose_name = _("New-economy workers")
    nav = (
        NavEntry("workforce", _("New-economy workers"), "workforce:list", "⚇", group="newgroups",
                 roles=(*MANAGERS, "industry_committee_staff")),
        NavEntry("workforce_registrations", _("Double registration"), "workforce:registrations", "⇄",
                 group="newgroups", roles=(*MANAGERS, "industry_committee_staff")),
        NavEntry("workforce_campaigns", _("Policy campaigns"), "workforce:campaigns", "✎", group="newgroups",
                 roles=MANAGERS),
        NavEntry("workforce_problems", _("Problem collectors"), "workforce:problems", "◎", group="newgroups",
                 roles=(*MANAGERS, "industry_committee_staff")),
        NavEntry("workforce_me", _("My rider services"), "workforce:me", "⚇", group="newgroups",
                 roles=("resident",)),
    )

    def register(self):
        from lianxin.cases.types import register_type
        from lianxin.core import audit

        from . import roles  # noqa: F401
        from .models import Campaign, CommitteeMember, Delivery, GridLink, Registration, ServiceOrder, Worker
        from .types import register_duty_kind, service_type

        register_type(service_type())
        register_duty_kind()
        for model in (Worker, GridLink, Registration, ServiceOrder, CommitteeMember, Campaign, Delivery):
            audit.register(model)

    def figures(self):
        from .stats import FIGURES

        return (FIGURES,)

    def seed_demo(self, demo):
        from .demo import seed

        return seed(demo)

    def extend_world(self, world):
        from .testing import extend

        extend(world)
