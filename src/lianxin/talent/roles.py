"""Who does what in talent work.

The county's talent office (县委人才办, role ``talent_officer``, granted at the county) keeps the registry, the
demand pool, events, apartments and the money ledgers, routes the experts' requests and publishes allocations.
County staff and the organisation department (组织部 leads talent work) do the same in their subtree; town and
community staff see the records of their area. A county leader named as an expert's liaison sees that expert
(Talent.involvement_q) and logs the yearly contact (the duty's carer).
"""

from django.utils.translation import gettext_lazy as _

from lianxin.core.roles import allow, register_role

TALENT = "talent.talent"
DEMAND = "talent.demand"
EVENT = "talent.recruitmentevent"
HIRE = "talent.hire"
APARTMENT = "talent.apartment"
ROUND = "talent.allocationround"
SUBSIDY = "talent.subsidy"
LOAN = "talent.loan"
MODELS = (TALENT, DEMAND, EVENT, HIRE, APARTMENT, ROUND, SUBSIDY, LOAN)

OFFICER = "talent_officer"
register_role(OFFICER, _("Talent office staff"), level="county")

KEEPERS = (OFFICER, "county_staff", "org_department", "administrator")
READERS = ("town_staff", "community_staff")
STAFF = (*KEEPERS, *READERS)

for role in KEEPERS:
    for model in MODELS:
        allow(role, model, "view", "add", "change")
for role in READERS:
    for model in (TALENT, DEMAND, EVENT, HIRE, APARTMENT, ROUND):
        allow(role, model, "view")
# The tier catalogue is configuration: the talent office and administrators keep it.
for role in (OFFICER, "administrator"):
    allow(role, "talent.tier", "view", "change")
# The talent office accepts, routes and closes the green-channel requests (the case engine's rights), and picks
# people and employers for the registry.
allow(OFFICER, "cases.case", "view")
allow(OFFICER, "people.person", "view", "add")
allow(OFFICER, "orgs.org", "view")
allow(OFFICER, "areas.area", "view")
# The duties of talent work (leaders' contacts, hire follow-ups, tenancy reminders) in the office's county.
for model in ("duties.plan", "duties.obligation", "duties.dutylog"):
    allow(OFFICER, model, "view")
