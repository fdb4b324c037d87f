"""Roles of the new-economy work: industry party committee staff (foundation role) and the party-building
instructor (党建工作指导员) who is assigned to firms and visits them.

industry_committee_staff (granted at an industry committee org) manage the firms under it; the instructor views
the firms under the committee it is granted at (and those it is assigned to) and logs visits; the organisation
department manages coverage, measures and close-out items in its county; county/town/community staff view.
"""

from django.utils.translation import gettext_lazy as _

from lianxin.core.roles import allow, put_first, register_role

register_role("instructor", _("Party-building instructor"), level="org")

FIRM = "newgroups.firmprofile"
CLOSEOUT = "newgroups.closeoutitem"
MEASURE = "newgroups.measuredocument"

VIEWERS = ("community_staff", "town_staff", "county_staff", "org_department", "administrator",
           "industry_committee_staff", "instructor")
for role in VIEWERS:
    allow(role, FIRM, "view")
    allow(role, CLOSEOUT, "view")
for role in ("town_staff", "county_staff", "org_department", "administrator", "industry_committee_staff",
             "instructor"):
    allow(role, MEASURE, "view")

# "coverage": record coverage changes and assign instructors; "log": log instructor visits; "close": close
# close-out items with evidence.
for role in ("industry_committee_staff", "org_department", "administrator"):
    allow(role, FIRM, "add", "change", "coverage", "log")
    allow(role, CLOSEOUT, "add", "close")
allow("town_staff", CLOSEOUT, "close")  # the town closes its fallback items (镇街兜底)
allow("instructor", FIRM, "log")
for role in ("org_department", "administrator", "industry_committee_staff"):
    allow(role, MEASURE, "add")
allow("town_staff", MEASURE, "add")

NAV_VIEWERS = ("community_staff", "town_staff", "county_staff", "org_department", "administrator",
               "industry_committee_staff", "instructor")

put_first("industry_committee_staff", "newgroups_firms")
put_first("instructor", "newgroups_mine")
