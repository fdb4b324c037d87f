from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewgroupsConfig(AppConfig):
    name = "lianxin.newgroups"
    label = "newgroups"
    verbose_name = _("New-economy firms and party coverage")

    def ready(self):
        from lianxin.cases.types import register_type
        from lianxin.core import audit
        from lianxin.core.nav import register_nav
        from lianxin.core.roles import add_nav
        from lianxin.duties.kinds import DUTY_KINDS, register_kind

        from . import roles, tasks  # noqa: F401  (roles; the daily close-out scan)
        from .models import CloseOutItem, CoverageChange, FirmProfile, InstructorAssignment, MeasureDocument
        from .types import closeout_type

        register_type(closeout_type())
        if "firm_visit" not in DUTY_KINDS:
            register_kind("firm_visit", _("Instructor visit to a firm"))
        audit.register(FirmProfile, personal=["contact_phone"])
        audit.register(CoverageChange)
        audit.register(InstructorAssignment)
        audit.register(CloseOutItem)
        audit.register(MeasureDocument)
        register_nav("newgroups_mine", _("My firms"), "newgroups:mine", "◎")
        register_nav("newgroups_firms", _("New-economy firms"), "newgroups:firms", "▦")
        register_nav("newgroups_coverage", _("Party coverage"), "newgroups:coverage", "◎")
        register_nav("newgroups_closeouts", _("Close-out items"), "newgroups:closeouts", "✓")
        register_nav("newgroups_measures", _("“1+4+N” measures"), "newgroups:measures", "▤")
        register_nav("newgroups_stats", _("New-economy statistics"), "newgroups:stats", "▥")
        add_nav("instructor", "newgroups_mine")
        for role in roles.NAV_VIEWERS:
            add_nav(role, "newgroups_firms", "newgroups_coverage", "newgroups_closeouts")
        for role in ("town_staff", "county_staff", "org_department", "administrator", "industry_committee_staff",
                     "instructor"):
            add_nav(role, "newgroups_measures")
        for role in ("town_staff", "county_staff", "org_department", "administrator", "industry_committee_staff"):
            add_nav(role, "newgroups_stats")
