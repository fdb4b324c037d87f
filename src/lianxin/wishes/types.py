"""The micro-wish case type: the case engine configured, no loop of its own.

posted (report, by community staff or a care cadre) → accepted (community staff) → claimed (dispatched to a
volunteer studio or a volunteer, who takes it: handler_accept) → fulfilled (feedback with photos) → verified by
the community → closed; the poster rates on the beneficiary's behalf.
"""

from contextvars import ContextVar

from django.utils.translation import gettext_lazy as _

from lianxin.cases.types import CaseType

WISH = "wish"
VOLUNTEER = "volunteer"

# Set only inside claim_wish, after its own checks: a volunteer may then dispatch the wish to their own studio
# (or themselves). Outside a claim, volunteers hold no dispatching rights.
CLAIMING: ContextVar[bool] = ContextVar("lianxin_wish_claiming", default=False)


class WishType(CaseType):
    def dispatching_roles(self, level: str) -> set:
        roles = super().dispatching_roles(level)
        return roles | {VOLUNTEER} if CLAIMING.get() else roles


def wish_type() -> WishType:
    return WishType(WISH, _("Micro-wish"), "W")
