"""The 双报到 service request: the case engine configured, no loop of its own (like lianxin.wishes).

点单: a resident (or community staff for them) posts a need → the community accepts it → 下单: community staff
dispatch it to a registered party member (their account) or a registered unit → 接单: the member takes it
(handler_accept) → done with feedback → the community verifies → closed; the resident rates it.
"""

from django.utils.translation import gettext_lazy as _

from lianxin.cases.types import CaseType

SERVICE = "dr_service"


def service_type() -> CaseType:
    return CaseType(SERVICE, _("Double-registration service"), "S")

# The duty kind of the community's quarterly feedback to a registered member's unit (registered in apps.ready).
FEEDBACK_KIND = "dr_feedback"


def register_duty_kind() -> None:
    from lianxin.duties.kinds import DUTY_KINDS, register_kind

    if FEEDBACK_KIND not in DUTY_KINDS:
        register_kind(FEEDBACK_KIND, _("Service feedback to the member's unit"))
