from django.utils.translation import gettext_lazy as _

from lianxin.core.roles import allow, put_first, register_role

CASE = "cases.case"

register_role("case_supervisor", _("Case supervisor (acceptance and verification)"), level="county",
              nav=["people", "areas"])
register_role("case_dispatcher", _("Case dispatcher (command centre)"), level="county", nav=["people", "areas"])
register_role("firm_handler", _("Firm handler"), level="org")

for role in ("grid_worker", "community_staff", "town_staff", "county_staff", "org_department", "case_supervisor",
             "case_dispatcher", "administrator"):
    allow(role, CASE, "view")
for role in ("resident", "grid_worker", "community_staff", "town_staff", "county_staff", "case_supervisor",
             "administrator"):
    allow(role, CASE, "add")
allow("administrator", "cases.category", "view", "add", "change", "delete")
allow("administrator", "cases.timelimit", "view", "add", "change", "delete")

allow("grid_worker", "cases.patrol", "view", "change")
for role in ("community_staff", "town_staff", "county_staff"):
    allow(role, "cases.patrol", "view")
allow("administrator", "cases.patrol", "view", "change")

# Inspection rounds (互学互检): run by town and county staff and the organisation department; communities see
# the rounds over their area.
ROUND = "cases.inspectionround"
for role in ("town_staff", "county_staff", "org_department", "administrator"):
    allow(role, ROUND, "view", "add", "change")
allow("community_staff", ROUND, "view")

# Hazard sweeps (排查): grid workers and staff record checks; staff start sweeps.
SWEEP = "cases.sweep"
for role in ("community_staff", "town_staff", "county_staff", "administrator"):
    allow(role, SWEEP, "view", "add", "change")
allow("grid_worker", SWEEP, "view", "change")

# The screens each role opens most, at the head of its menu.
put_first("resident", "report", "my_reports")
put_first("grid_worker", "tasks", "report", "patrol")
put_first("department_handler", "tasks")
for role in ("community_staff", "town_staff", "county_staff", "case_supervisor", "case_dispatcher"):
    put_first(role, "cases")
