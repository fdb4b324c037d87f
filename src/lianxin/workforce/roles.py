"""Workers' roles (part-time grid worker, problem collector, policy promoter) are records of the worker, not
login roles; a part-time grid worker is granted the foundation's grid_worker role at the grid.

Community, town and county staff manage the workers, 双报到, 大党委 and campaigns of their area; industry
party committee staff those of the firms under their committee (org anchor); the organisation department
those of its county. A rider's own account sees their profile, registrations and campaigns by involvement.
"""

from lianxin.core.roles import ALL, allow

WORKER = "workforce.worker"
REGISTRATION = "workforce.registration"
COMMITTEE = "workforce.committeemember"
CAMPAIGN = "workforce.campaign"
DELIVERY = "workforce.delivery"
MODELS = (WORKER, REGISTRATION, COMMITTEE, CAMPAIGN, DELIVERY)

MANAGERS = ("community_staff", "town_staff", "county_staff", "org_department")
for role in MANAGERS:
    for model in MODELS:
        allow(role, model, "view", "add", "change")
for model in MODELS:
    allow("administrator", model, *ALL)
# Industry committees manage the workers of their firms and see their firms' registrations and memberships.
allow("industry_committee_staff", WORKER, "view", "add", "change")
allow("industry_committee_staff", REGISTRATION, "view")
allow("industry_committee_staff", COMMITTEE, "view")
