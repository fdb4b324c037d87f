"""The foundation's roles. Later modules add roles and permissions with core.roles.register_role/allow."""

from django.utils.translation import gettext_lazy as _

from lianxin.core.roles import ALL, allow, register_role

AREA = "areas.area"
ORG = "orgs.org"
PERSON = "people.person"
USER = "accounts.user"
GRANT = "accounts.rolegrant"
FILE = "core.storedfile"

register_role("resident", _("Resident / rider"), level="community")
register_role("grid_worker", _("Grid worker"), level="grid", nav=["people"])
register_role("community_staff", _("Community staff"), level="community", nav=["people", "orgs", "areas"])
register_role("town_staff", _("Town staff"), level="town", nav=["people", "orgs", "areas"])
register_role("county_staff", _("County staff"), level="county", nav=["people", "orgs", "areas"])
register_role("department_handler", _("Department handler"), level="org", nav=["people", "orgs"])
register_role("industry_committee_staff", _("Industry party committee staff"), level="org", nav=["people", "orgs"])
register_role("org_department", _("Organisation department"), level="county", nav=["people", "orgs", "areas"])
register_role(
    "administrator", _("Administrator"), level="city",
    nav=["people", "orgs", "areas", "accounts", "people_import", "areas_import", "orgs_import", "accounts_import"],
)

allow("grid_worker", AREA, "view")
allow("grid_worker", PERSON, "view", "reveal")
allow("grid_worker", FILE, "view")

for role in ("community_staff", "town_staff", "county_staff"):
    allow(role, AREA, "view")
    allow(role, ORG, "view")
    allow(role, PERSON, "view", "add", "change")
    allow(role, FILE, "view")
allow("community_staff", PERSON, "reveal")
allow("town_staff", ORG, "add", "change")
allow("county_staff", ORG, "add", "change")

allow("department_handler", ORG, "view")
allow("department_handler", PERSON, "view")

allow("industry_committee_staff", ORG, "view", "add", "change")
allow("industry_committee_staff", PERSON, "view", "add", "change")

allow("org_department", AREA, "view")
allow("org_department", ORG, *ALL)
allow("org_department", PERSON, "view")

for model in (AREA, ORG, PERSON, USER, GRANT, FILE):
    allow("administrator", model, *ALL)
allow("administrator", PERSON, "reveal")

# Reading a record's audit history is an administrator's right.
for model in (AREA, ORG, PERSON, USER):
    allow("administrator", model, "audit")
