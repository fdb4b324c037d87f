"""Care roles. A care cadre and a family doctor are granted at an area but see only the retirees assigned to
them (involvement, see Retiree.involvement_q); staff see the retirees of their subtree."""

from django.utils.translation import gettext_lazy as _

from lianxin.core.roles import allow, register_role

RETIREE = "care.retiree"

register_role("care_cadre", _("Care cadre (retired cadres)"), level="community", nav=["care_mine"])
register_role("family_doctor", _("Family doctor"), level="community", nav=["care_mine"])
# Granted at a former unit (an org): sees that unit's retirees (Retiree.scope_org) and keeps their "六个一".
register_role("liaison", _("Retired cadre liaison"), level="org", nav=["care_liaison_mine", "care_retirees"])
allow("liaison", RETIREE, "view", "steps")

STAFF = ("community_staff", "town_staff", "county_staff", "org_department", "administrator")
for role in STAFF:
    allow(role, RETIREE, "view")
for role in ("community_staff", "town_staff", "county_staff", "administrator"):
    # "plan": keep the per-person plan (一人一策); the assigned care cadre may too, by involvement.
    allow(role, RETIREE, "add", "change", "plan", "steps")
allow("org_department", RETIREE, "plan")

for role in STAFF:
    allow(role, "care.healthevent", "view")
for role in ("community_staff", "town_staff", "county_staff", "administrator"):
    allow(role, "care.healthevent", "add", "change")

# Festival group visits (节日慰问).
for role in STAFF:
    allow(role, "care.groupvisit", "view")
for role in ("community_staff", "town_staff", "county_staff", "administrator"):
    allow(role, "care.groupvisit", "add")
