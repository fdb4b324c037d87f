from django.utils.translation import gettext_lazy as _

from lianxin.core import modules
from lianxin.core.nav import ALL_ROLES, NavEntry

ORGANISERS = ("community_staff", "town_staff", "county_staff", "org_department", "administrator",
              "industry_committee_staff", "instructor", "branch_secretary")


class ActivitiesConfig(modules.LianxinApp):
    name = "lianxin.activities"
    label = "activities"
    verbose_name = _("Meetings and activities")
    nav = (
        NavEntry("activities_organiser", _("Today's activities"), "activities:organiser", "◷", group="party",
                 roles=ORGANISERS),
        NavEntry("activities_calendar", _("Activity calendar"), "activities:calendar", "▦", group="party",
                 roles=ORGANISERS),
        NavEntry("activities_compliance", _("Meeting compliance"), "activities:compliance", "◑", group="party",
                 roles=ORGANISERS),
        NavEntry("activities_themes", _("Monthly themes"), "activities:themes", "☰", group="party",
                 roles=ORGANISERS),
        NavEntry("activities_mine", _("My activities"), "activities:mine", "✓", group="party", roles=ALL_ROLES),
    )
    # The demo's community staff member is also the secretary of a firm's branch (no new account).
    demo_logins = (("demo_community", "branch_secretary"),)

    def register(self):
        from lianxin.core import audit

        from . import kinds, roles  # noqa: F401  (roles)
        from .models import Activity, Minutes, Theme

        kinds.register_duty_kinds()
        audit.register(Activity, exclude=["qr_seed"])
        audit.register(Theme)
        audit.register(Minutes)

    def figures(self):
        from .stats import FIGURES

        return (FIGURES,)

    def seed_demo(self, demo):
        from .demo import seed

        return seed(demo)

    def extend_world(self, world):
        from .testing import extend

        extend(world)
