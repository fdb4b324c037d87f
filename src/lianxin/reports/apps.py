from django.utils.translation import gettext_lazy as _

from lianxin.core import modules
from lianxin.core.nav import NavEntry

# Who reads the figures of every module and issues briefings.
READERS = ("community_staff", "town_staff", "county_staff", "org_department", "administrator")


class ReportsConfig(modules.LianxinApp):
    """Reports over every module's declared figures (``core.modules.figure_sets``): it declares none itself."""

    name = "lianxin.reports"
    label = "reports"
    verbose_name = _("Reports")
    nav = (
        NavEntry("reports_figures", _("Figures"), "reports:figures", "▥", group="reports", roles=READERS),
        NavEntry("reports_briefings", _("Briefings"), "reports:briefings", "▤", group="reports", roles=READERS),
    )

    def register(self):
        from lianxin.core import audit

        from . import roles, tasks, widgets  # noqa: F401  (roles; the monthly briefing; the leaders' home widget)
        from .models import Briefing, Subscription

        audit.register(Briefing)
        audit.register(Subscription)

    def seed_demo(self, demo):
        from .demo import seed

        return seed(demo)

    def extend_world(self, world):
        from .testing import extend

        extend(world)
