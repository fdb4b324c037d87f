from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "lianxin.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from lianxin.core import audit, configcache
        from lianxin.core.nav import register_nav
        from lianxin.core.roles import add_nav

        from . import roles, tasks, widgets  # noqa: F401  (roles; periodic deadline alerts; home widgets)
        from .models import Category, Patrol, ResponseTemplate, TimeLimit

        # Cases keep their own append-only history (CaseEvent); configuration is audited.
        configcache.watch(Category, TimeLimit)
        audit.register(Category)
        audit.register(TimeLimit)
        audit.register(Patrol)
        audit.register(ResponseTemplate)
        register_nav("cases", _("Cases"), "cases:board", "☰")
        register_nav("tasks", _("My tasks"), "cases:tasks", "✓")
        register_nav("patrol", _("Patrol"), "cases:patrol", "⚲")
        register_nav("categories", _("Categories and time limits"), "cases:config_categories", "⚙")
        add_nav("administrator", "categories")
        register_nav("report", _("Report a problem"), "cases:report", "✚")
        register_nav("my_reports", _("My reports"), "cases:my_reports", "☷")
        for role in ("resident", "grid_worker"):
            add_nav(role, "report", "my_reports")
        add_nav("grid_worker", "patrol")
        for role in ("community_staff", "town_staff", "county_staff", "org_department", "case_supervisor",
                     "case_dispatcher", "administrator"):
            add_nav(role, "cases")
        for role in ("grid_worker", "department_handler", "industry_committee_staff", "firm_handler",
                     "community_staff"):
            add_nav(role, "tasks")
        # The case map and the statistics page (map_views, stats_views).
        register_nav("case_map", _("Case map"), "cases:map", "◎")
        register_nav("case_stats", _("Case statistics"), "cases:stats", "▤")
        for role in ("community_staff", "town_staff", "county_staff", "org_department", "case_supervisor",
                     "case_dispatcher", "administrator"):
            add_nav(role, "case_map", "case_stats")
