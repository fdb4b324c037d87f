"""Roles of the village work. The first secretary (第一书记) is granted at the village: keeps its households,
visits, survey, plans, projects and reports. The organisation department keeps the roster (terms, hand-overs)
and reviews reports; community, town and county staff view; the administrator does everything.
"""

from django.utils.translation import gettext_lazy as _

from lianxin.core.roles import allow, register_role

register_role("first_secretary", _("First secretary (village)"), level="community",
              nav=["villages_mine", "villages_list"])

TERM = "villages.secretaryterm"
PROFILE = "villages.villageprofile"
HOUSEHOLD = "villages.household"
VISIT = "villages.visit"
ANSWER = "villages.surveyanswer"
PLAN = "villages.assistanceplan"
PROJECT = "villages.industryproject"
REPORT = "villages.researchreport"
ALL = (TERM, PROFILE, HOUSEHOLD, VISIT, ANSWER, PLAN, PROJECT, REPORT)

VIEWERS = ("first_secretary", "community_staff", "town_staff", "county_staff", "org_department", "administrator")
for role in VIEWERS:
    for label in ALL:
        allow(role, label, "view")

# The village's own work: the first secretary and the village (community) staff.
for role in ("first_secretary", "community_staff", "administrator"):
    allow(role, PROFILE, "change")
    allow(role, HOUSEHOLD, "add", "change")
    allow(role, VISIT, "add", "change")  # "change": turn an answer into a case
    allow(role, ANSWER, "add")
    for label in (PLAN, PROJECT, REPORT):
        allow(role, label, "add", "change")
# The roster: the organisation department (and the administrator) dispatch and hand over.
for role in ("org_department", "administrator"):
    allow(role, TERM, "add", "change", "handover")
    allow(role, PROFILE, "change")
# Reports are reviewed by the town, the county and the organisation department.
for role in ("town_staff", "county_staff", "org_department", "administrator"):
    allow(role, REPORT, "review")

NAV_VIEWERS = VIEWERS

# "visit": log a visit to a household. The first secretary may also log the must-visit duties on the duty engine
# (a visit by the village staff fulfils the duty through the village service, see services.log_visit).
for role in ("first_secretary", "community_staff", "administrator"):
    allow(role, HOUSEHOLD, "visit")
allow("first_secretary", "duties.plan", "log")
# The first secretary follows the must-visit duties of the village (the engine's plans, obligations and logs).
for label in ("duties.plan", "duties.obligation", "duties.dutylog"):
    allow("first_secretary", label, "view")
# The configuration (五必访 categories, 五必问 questions, the survey checklist): the organisation department and the
# administrator.
for role in ("org_department", "administrator"):
    for label in ("villages.mustvisitcategory", "villages.mustaskquestion", "villages.surveyitem"):
        allow(role, label, "view", "change")
