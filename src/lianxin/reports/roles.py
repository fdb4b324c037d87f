"""Staff of a community, town or county, the organisation department and administrators read the figures of
their subtree and draft briefings there; signing a briefing off (签发) is for the town, county and organisation
department leaders' roles and administrators."""

from lianxin.core.roles import allow, put_first

BRIEFING = "reports.briefing"

for role in ("community_staff", "town_staff", "county_staff", "org_department", "administrator"):
    allow(role, BRIEFING, "view", "add", "change")
    allow(role, "reports.subscription", "view", "add")
for role in ("town_staff", "county_staff", "org_department", "administrator"):
    allow(role, BRIEFING, "issue")

# The organisation department writes the briefings: its figures first.
put_first("org_department", "reports_figures")
