"""The follow-up task of a council decision (协同办事) as a case type: the case engine configured, no loop of its own.

A decision's task starts accepted (the council decided it; there is nothing to accept), is dispatched by the
community's staff to a lead unit with co-units, handled, and verified by the community; its deadline and
blue/yellow/red colour come from the engine and the task category's time limits.
"""

from django.utils.translation import gettext_lazy as _

from lianxin.cases.models import Stage
from lianxin.cases.types import CaseType

FOLLOW_UP = "consult"


def follow_up_type() -> CaseType:
    return CaseType(FOLLOW_UP, _("Council decision task"), "Y", first_stage=Stage.ACCEPTED, reporter_rates=False)
