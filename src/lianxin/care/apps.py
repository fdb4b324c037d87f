from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "lianxin.care"
    label = "care"
    verbose_name = _("Retired cadre care")

    def ready(self):
        from lianxin.core import audit
        from lianxin.core.nav import register_nav
        from lianxin.core.roles import add_nav

        from . import roles, widgets  # noqa: F401  (roles; home widgets)
        from .models import Assignment, GroupVisit, HealthEvent, Liaison, PlanEntry, Retiree, RetirementStep

        audit.register(Retiree)
        audit.register(Assignment)
        audit.register(PlanEntry)
        audit.register(RetirementStep)
        audit.register(Liaison)
        audit.register(HealthEvent)
        audit.register(GroupVisit)
        register_nav("care_mine", _("My retirees"), "care:mine", "♥")
        register_nav("care_retirees", _("Retirees"), "care:list", "♥")
        register_nav("care_stats", _("Care statistics"), "care:stats", "▤")
        register_nav("care_liaisons", _("Retiree liaisons"), "care:liaisons", "☏")
        register_nav("care_health", _("Health events"), "care:health_events", "✚")
        register_nav("care_groups", _("Festival visits"), "care:groups", "✿")
        register_nav("care_exports", _("Care ledgers"), "care:ledgers", "⇩")
        register_nav("care_liaison_mine", _("My unit's retirees"), "care:liaison_mine", "♥")
        for role in roles.STAFF:
            add_nav(role, "care_retirees", "care_stats", "care_liaisons", "care_health", "care_groups",
                    "care_exports")
