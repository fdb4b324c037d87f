"""The close-out (销号) case type: the case engine configured for coverage gaps.

An item is filed already accepted (the ledger found the gap, nobody needs to accept it) at the firm's town; its
clock is the category's "dispatch" limit (default 90 days). It has no handler loop: it ends with the one move
this module adds, "close with evidence" (services.close_with_evidence), recorded as a case event.
"""

from django.utils.translation import gettext_lazy as _

from lianxin.cases.models import Stage
from lianxin.cases.types import CaseType

CLOSEOUT = "closeout"
CLOSE_MOVE = "closeout_evidence"


class CloseOutType(CaseType):
    """No role may make the engine's generic moves (dispatch, close without a fix, ...) on a close-out item: it
    ends only through the evidence move, which checks its own rights (services.close_with_evidence)."""

    def supervising_roles(self, level: str) -> set:
        return set()

    def dispatching_roles(self, level: str) -> set:
        return set()


def closeout_type() -> CaseType:
    return CloseOutType(CLOSEOUT, _("Coverage close-out item"), "X", first_stage=Stage.ACCEPTED,
                        reporter_rates=False, intake_level="town", split_levels=set())
