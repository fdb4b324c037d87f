from django.utils.translation import gettext_lazy as _

from lianxin.core import modules
from lianxin.core.nav import NavEntry

STAFF = ("community_staff", "town_staff", "county_staff", "org_department", "administrator")


class VillagesConfig(modules.LianxinApp):
    name = "lianxin.villages"
    label = "villages"
    verbose_name = _("First secretaries in villages")
    nav = (
        NavEntry("villages_mine", _("My village"), "villages:mine", "◎", group="villages", roles=("first_secretary",)),
        NavEntry("villages_list", _("Villages"), "villages:list", "▦", group="villages",
                 roles=("first_secretary", *STAFF)),
        NavEntry("villages_terms", _("First secretaries"), "villages:terms", "▤", group="villages", roles=STAFF),
        NavEntry("villages_gaps", _("Village survey gaps"), "villages:gaps", "△", group="villages",
                 roles=("first_secretary", *STAFF)),
        NavEntry("villages_dossiers", _("Plans, projects and reports"), "villages:dossiers", "▣", group="villages",
                 roles=("first_secretary", *STAFF)),
        NavEntry("villages_stats", _("Village work statistics"), "villages:stats", "▥", group="villages",
                 roles=STAFF),
        NavEntry("villages_config", _("Village work configuration"), "villages:config", "⚙", group="configuration",
                 roles=("org_department", "administrator")),
    )
    demo_logins = (("jx_first_secretary", "first_secretary"),)

    def register(self):
        from lianxin.core import audit

        from . import roles, services  # noqa: F401
        from .models import (
            AssistancePlan,
            Household,
            IndustryProject,
            ResearchReport,
            SecretaryTerm,
            SurveyAnswer,
            VillageProfile,
            Visit,
            VisitAnswer,
        )

        services.register()
        audit.register(Household, personal=["phone"])
        for model in (SecretaryTerm, VillageProfile, Visit, VisitAnswer, SurveyAnswer, AssistancePlan,
                      IndustryProject, ResearchReport):
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
