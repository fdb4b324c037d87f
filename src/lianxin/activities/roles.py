"""Who organises and who reads activities.

A party branch secretary (granted at the branch) organises the branch's meetings and sees its compliance;
community, town and county staff, the organisation department, industry committees' staff and instructors
organise and read the activities of their subtree (care activities, trainings, work meetings, study sessions).
Monthly themes are published by a county or the city (county staff, the organisation department, the
administrator) or an industry committee. Participants see their own activities on their phone page (personal).
"""

from django.utils.translation import gettext_lazy as _

from lianxin.core.roles import allow, register_role

ACTIVITY = "activities.activity"
THEME = "activities.theme"

register_role("branch_secretary", _("Party branch secretary"), level="org",
              nav=["activities_organiser", "activities_calendar", "activities_compliance"])

ORGANISERS = ("community_staff", "town_staff", "county_staff", "org_department", "administrator",
              "industry_committee_staff", "instructor", "branch_secretary")
for role in ORGANISERS:
    allow(role, ACTIVITY, "view", "add", "change")
    allow(role, THEME, "view")
for role in ("county_staff", "org_department", "administrator", "industry_committee_staff"):
    allow(role, THEME, "add", "change")
# The secretary reads the branch (its members are the roster) and its people.
allow("branch_secretary", "orgs.org", "view")
allow("branch_secretary", "people.person", "view")
