from django.utils.translation import gettext_lazy as _

from lianxin.core import modules
from lianxin.core.nav import ALL_ROLES, NavEntry

STAFF = ("community_staff", "town_staff", "county_staff", "org_department", "administrator", "learning_reviewer")


class LearningConfig(modules.LianxinApp):
    name = "lianxin.learning"
    label = "learning"
    verbose_name = _("Learning library")
    nav = (
        NavEntry("learning_library", _("Learning library"), "learning:library", "✎", group="party",
                 roles=ALL_ROLES),
        NavEntry("learning_items", _("Library items"), "learning:list", "▤", group="party", roles=STAFF),
        NavEntry("learning_stats", _("Learning figures"), "learning:stats", "▦", group="party", roles=STAFF),
        NavEntry("learning_categories", _("Learning categories"), "learning:categories", "⚙",
                 group="configuration", roles=("administrator",)),
    )
    demo_logins = (("jinxiang_reviewer", "learning_reviewer"),)

    def register(self):
        from lianxin.core import audit

        from . import roles, services  # noqa: F401  (services: the study duty kind)
        from .models import Category, Item, StudyAssignment

        audit.register(Item, exclude=["search_title", "search_body", "updated_at"])
        audit.register(Category)
        audit.register(StudyAssignment)

    def figures(self):
        from .stats import FIGURES

        return (FIGURES,)

    def seed_demo(self, demo):
        from .demo import seed

        return seed(demo)

    def extend_world(self, world):
        from .testing import extend

        extend(world)
