from django.utils.translation import gettext_lazy as _

from lianxin.core import modules
from lianxin.core.nav import NavEntry

STAFF = ("community_staff", "town_staff", "county_staff", "org_department", "administrator")


class CareConfig(modules.LianxinApp):
    name = "lianxin.care"
    label = "care"
    verbose_name = _("Retired cadre care")
    nav = (
        NavEntry("care_mine", _("My retirees"), "care:mine", "♥", group="care"),
        NavEntry("care_retirees", _("Retirees"), "care:list", "♥", group="care", roles=STAFF),
        NavEntry("care_stats", _("Care statistics"), "care:stats", "▤", group="care", roles=STAFF),
        NavEntry("care_liaisons", _("Retiree liaisons"), "care:liaisons", "☏", group="care", roles=STAFF),
        NavEntry("care_health", _("Health events"), "care:health_events", "✚", group="care", roles=STAFF),
        NavEntry("care_groups", _("Festival visits"), "care:groups", "✿", group="care", roles=STAFF),
        NavEntry("care_exports", _("Care ledgers"), "care:ledgers", "⇩", group="care", roles=STAFF),
        NavEntry("care_liaison_mine", _("My unit's retirees"), "care:liaison_mine", "♥", group="care"),
    )
    demo_logins = (("care_jx", "care_cadre"), ("doctor_jx", "family_doctor"), ("liaison_jx", "liaison"),
                   ("volunteer_ws", "volunteer"))

    def register(self):
        from lianxin.core import audit

        from . import roles, widgets  # noqa: F401  (roles; home widgets)
        from .models import Assignment, GroupVisit, HealthEvent, Liaison, PlanEntry, Retiree, RetirementStep

        for model in (Retiree, Assignment, PlanEntry, RetirementStep, Liaison, HealthEvent, GroupVisit):
            audit.register(model)

    def figures(self):
        from .figures import FIGURES

        return (FIGURES,)

    def seed_demo(self, demo):
        from .demo import seed

        return seed(demo)

    def extend_world(self, world):
        from .testing import extend

        extend(world)
