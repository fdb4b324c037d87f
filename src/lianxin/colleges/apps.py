from django.utils.translation import gettext_lazy as _

from lianxin.core import modules
from lianxin.core.nav import NavEntry

STAFF = ("community_staff", "town_staff", "county_staff", "org_department", "administrator")


class CollegesConfig(modules.LianxinApp):
    name = "lianxin.colleges"
    label = "colleges"
    verbose_name = _("Senior colleges")
    nav = (NavEntry("colleges", _("Senior colleges"), "colleges:list", "✎", group="party", roles=STAFF),)

    def register(self):
        from lianxin.core import audit

        from . import roles  # noqa: F401
        from .models import Campus, Course, Enrolment, Klass, Lecturer

        for model in (Campus, Course, Klass, Lecturer, Enrolment):
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
