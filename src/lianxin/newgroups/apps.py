from django.utils.translation import gettext_lazy as _

from lianxin.core import modules
from lianxin.core.nav import NavEntry

# Who sees the firms, the coverage ledger and the close-out items in the menu.
LEDGER_ROLES = ("community_staff", "town_staff", "county_staff", "org_department", "administrator",
                "industry_committee_staff")
COUNTY_ROLES = ("town_staff", "county_staff", "org_department", "administrator", "industry_committee_staff")


class NewgroupsConfig(modules.LianxinApp):
    name = "lianxin.newgroups"
    label = "newgroups"
    verbose_name = _("New-economy firms and party coverage")
    nav = (
        NavEntry("newgroups_mine", _("My firms"), "newgroups:mine", "◎", group="newgroups", roles=("instructor",)),
        NavEntry("newgroups_firms", _("New-economy firms"), "newgroups:firms", "▦", group="newgroups",
                 roles=LEDGER_ROLES),
        NavEntry("newgroups_coverage", _("Party coverage"), "newgroups:coverage", "◎", group="newgroups",
                 roles=LEDGER_ROLES),
        NavEntry("newgroups_closeouts", _("Close-out items"), "newgroups:closeouts", "✓", group="newgroups",
                 roles=LEDGER_ROLES),
        NavEntry("newgroups_measures", _("“1+4+N” measures"), "newgroups:measures", "▤", group="newgroups",
                 roles=(*COUNTY_ROLES, "instructor")),
        NavEntry("newgroups_stats", _("New-economy statistics"), "newgroups:stats", "▥", group="newgroups",
                 roles=COUNTY_ROLES),
    )
    demo_logins = (("demo_instructor", "instructor"),)

    def register(self):
        from lianxin.cases.types import register_type
        from lianxin.core import audit
        from lianxin.duties.kinds import DUTY_KINDS, register_kind

        from . import roles, tasks  # noqa: F401  (roles; the daily close-out scan)
        from .models import CloseOutItem, CoverageChange, FirmProfile, InstructorAssignment, MeasureDocument
        from .types import closeout_type

        register_type(closeout_type())
        if "firm_visit" not in DUTY_KINDS:
            register_kind("firm_visit", _("Instructor visit to a firm"))
        audit.register(FirmProfile, personal=["contact_phone"])
        for model in (CoverageChange, InstructorAssignment, CloseOutItem, MeasureDocument):
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
