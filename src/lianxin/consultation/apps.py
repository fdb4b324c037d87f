from django.utils.translation import gettext_lazy as _

from lianxin.core import modules
from lianxin.core.nav import NavEntry

STAFF = ("community_staff", "town_staff", "county_staff", "administrator")
RESIDENTS = ("resident", "grid_worker")


class ConsultationConfig(modules.LianxinApp):
    name = "lianxin.consultation"
    label = "consultation"
    verbose_name = _("Resident consultation")
    nav = (
        NavEntry("consult_topics", _("Residents' topics"), "consultation:topics", "✎", group="community",
                 roles=(*RESIDENTS, *STAFF)),
        NavEntry("consult_councils", _("Councils"), "consultation:councils", "☷", group="community", roles=STAFF),
        NavEntry("consult_decisions", _("Council decisions"), "consultation:decisions", "✔", group="community",
                 roles=("resident", *STAFF, "org_department")),
        NavEntry("consult_stats", _("Consultation figures"), "consultation:stats", "▤", group="community",
                 roles=(*STAFF, "org_department")),
    )

    def register(self):
        from lianxin.cases.types import register_type
        from lianxin.core import audit

        from . import roles  # noqa: F401
        from .models import Council, CouncilMember, Decision, Meeting, Topic
        from .types import follow_up_type

        register_type(follow_up_type())
        audit.register(Council)
        audit.register(CouncilMember, personal=["name"])
        audit.register(Topic, personal=["for_resident"])
        audit.register(Meeting)
        audit.register(Decision)

    def figures(self):
        from .stats import FIGURES

        return (FIGURES,)

    def seed_demo(self, demo):
        from .demo import seed

        return seed(demo)

    def extend_world(self, world):
        from .testing import extend

        extend(world)
