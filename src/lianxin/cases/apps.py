from django.utils.translation import gettext_lazy as _

from lianxin.core import modules
from lianxin.core.nav import NavEntry

# Who works the dispatch board, the case map and the statistics.
BOARD_ROLES = ("community_staff", "town_staff", "county_staff", "org_department", "case_supervisor",
               "case_dispatcher", "administrator")


class CasesConfig(modules.LianxinApp):
    name = "lianxin.cases"
    label = "cases"
    verbose_name = _("Cases")
    nav = (
        NavEntry("categories", _("Categories and time limits"), "cases:config_categories", "⚙",
                 group="configuration", roles=("administrator",)),
        NavEntry("report", _("Report a problem"), "cases:report", "✚", group="cases",
                 roles=("resident", "grid_worker")),
        NavEntry("my_reports", _("My reports"), "cases:my_reports", "☷", group="cases",
                 roles=("resident", "grid_worker")),
        NavEntry("patrol", _("Patrol"), "cases:patrol", "⚲", group="cases", roles=("grid_worker",)),
        NavEntry("cases", _("Cases"), "cases:board", "☰", group="cases", roles=BOARD_ROLES),
        NavEntry("tasks", _("My tasks"), "cases:tasks", "✓", group="cases",
                 roles=("grid_worker", "department_handler", "industry_committee_staff", "firm_handler",
                        "community_staff")),
        NavEntry("ledger", _("Key task ledger"), "cases:ledger", "◈", group="cases",
                 roles=(*BOARD_ROLES, "department_handler")),
        NavEntry("inspections", _("Inspection rounds"), "cases:inspections", "✔", group="cases",
                 roles=("community_staff", "town_staff", "county_staff", "org_department", "administrator")),
        NavEntry("sweeps", _("Hazard sweeps"), "cases:sweeps", "⚠", group="cases",
                 roles=("grid_worker", "community_staff", "town_staff", "county_staff", "administrator")),
        NavEntry("case_map", _("Case map"), "cases:map", "◎", group="cases", roles=BOARD_ROLES),
        NavEntry("case_stats", _("Case statistics"), "cases:stats", "▤", group="cases", roles=BOARD_ROLES),
    )

    def extend_world(self, world):
        from .testing import extend

        extend(world)

    def seed_demo(self, demo):
        from .demo import seed

        return seed(demo)

    def register(self):
        from lianxin.core import audit, configcache

        from . import roles, tasks, widgets  # noqa: F401  (roles; periodic deadline alerts; home widgets)
        from .models import Category, InspectionRound, Patrol, ResponseTemplate, Sweep, TimeLimit

        # Cases keep their own append-only history (CaseEvent); configuration is audited.
        configcache.watch(Category, TimeLimit)
        audit.register(Category)
        audit.register(TimeLimit)
        audit.register(Patrol)
        audit.register(InspectionRound)
        audit.register(Sweep)
        audit.register(ResponseTemplate)

    def figures(self):
        from .figures import FIGURES

        return (FIGURES,)
