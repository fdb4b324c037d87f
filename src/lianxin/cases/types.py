"""Case types: each declares its stages, who may make each move, and how the loop ends.

Later modules add a type with ``register_type`` (close-out items, wishes, inspection findings); they
configure this engine and never write a loop of their own.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models import Stage


class Move:
    ACCEPT = "accept"
    REFUSE = "refuse"
    DISPATCH = "dispatch"
    REDISPATCH = "redispatch"  # a unit passes the case to a named person inside it
    HANDLER_ACCEPT = "handler_accept"
    RETURN = "return"  # 退单: the unit says it was sent to the wrong place
    PROGRESS = "progress"
    FEEDBACK = "feedback"
    VERIFY = "verify"  # pass closes as fixed; fail sends it back as rework
    RATE = "rate"
    REVISIT = "revisit"
    EXTEND_REQUEST = "extend_request"
    EXTEND_DECIDE = "extend_decide"
    SUPERVISE = "supervise"
    ESCALATE = "escalate"
    PARK_REQUEST = "park_request"
    PARK_DECIDE = "park_decide"
    UNPARK = "unpark"
    VOID_REQUEST = "void_request"
    VOID_DECIDE = "void_decide"
    MERGE = "merge"
    RECATEGORIZE = "recategorize"
    HANDOVER = "handover"
    CLOSE_WITHOUT_FIX = "close_without_fix"


# Staff roles per area level. At levels in ``split_levels`` acceptance/verification (the supervising
# side) and dispatch (the command side) are different roles, as in city digital urban management.
LEVEL_STAFF = {
    "community": "community_staff",
    "town": "town_staff",
    "county": "county_staff",
    "city": "county_staff",
}
SUPERVISOR_ROLE = "case_supervisor"
DISPATCHER_ROLE = "case_dispatcher"


@dataclass
class CaseType:
    code: str
    label: object
    number_prefix: str  # one letter in front of the serial, keeps types apart in one numbering
    first_stage: str = Stage.REPORTED
    split_levels: set = field(default_factory=lambda: {"county", "city"})
    reporter_rates: bool = True
    reporter_verifies: bool = False
    # Who routes it: the first level that accepts it (community for events; the committee for appeals).
    intake_level: str = "community"
    # Extra roles allowed to accept/dispatch, e.g. the new-sectors committee for appeals.
    extra_dispatch_roles: set = field(default_factory=set)
    # Who may file it: None for anyone who may add cases; otherwise these roles (hazards: staff, grid workers).
    filer_roles: frozenset | None = None
    # Fields of its own the intake requires: "nature" (appeals), "hazard_level" (hazards).
    fields: tuple = ()

    def supervising_roles(self, level: str) -> set:
        if level in self.split_levels:
            return {SUPERVISOR_ROLE} | self.extra_dispatch_roles
        return {LEVEL_STAFF[level]} | self.extra_dispatch_roles

    def dispatching_roles(self, level: str) -> set:
        if level in self.split_levels:
            return {DISPATCHER_ROLE} | self.extra_dispatch_roles
        return {LEVEL_STAFF[level]} | self.extra_dispatch_roles


TYPES: dict[str, CaseType] = {}


def register_type(case_type: CaseType) -> CaseType:
    TYPES[case_type.code] = case_type
    return case_type


register_type(CaseType("event", _("Event"), "E"))
# Staff who find and file hazards and key tasks (first secretaries file as town or community staff).
STAFF_FILERS = frozenset({"grid_worker", "community_staff", "town_staff", "county_staff", "case_supervisor",
                          "case_dispatcher", "org_department", "administrator"})

register_type(CaseType(
    "appeal", _("Appeal"), "A", intake_level="community",
    extra_dispatch_roles={"org_department", "industry_committee_staff"}, fields=("nature",),
))
register_type(CaseType("hazard", _("Hazard"), "H", filer_roles=STAFF_FILERS, fields=("hazard_level",)))
register_type(CaseType("task", _("Key task"), "T", first_stage=Stage.ACCEPTED, reporter_rates=False,
                       filer_roles=STAFF_FILERS))
# An inspection finding (互学互检): recorded and dispatched to the unit by the inspecting office, which also
# verifies the rectification (no split between supervising and dispatching roles).
register_type(CaseType("finding", _("Inspection finding"), "F", first_stage=Stage.ACCEPTED, reporter_rates=False,
                       filer_roles=STAFF_FILERS, split_levels=set()))
