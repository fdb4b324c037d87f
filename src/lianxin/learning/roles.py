"""Who keeps the library. Staff of a level (community, town, county, the organisation department, administrators)
write drafts, submit them and assign study in their subtree; only a reviewer (``learning_reviewer``, granted at
the city, a county or an organisation) publishes, returns, withdraws. Readers need no right: a published item is
visible to the people of its audience (Item.involvement_q). Reading figures go by area and branch."""

from django.utils.translation import gettext_lazy as _

from lianxin.core.roles import allow, register_role

ITEM = "learning.item"
READ = "learning.read"
ASSIGNMENT = "learning.studyassignment"
CATEGORY = "learning.category"

register_role("learning_reviewer", _("Learning library reviewer"), level="county", nav=["learning_items"])

STAFF = ("community_staff", "town_staff", "county_staff", "org_department", "administrator")
for role in (*STAFF, "learning_reviewer"):
    allow(role, ITEM, "view", "add", "change")
    allow(role, READ, "view")
    allow(role, ASSIGNMENT, "view", "add")
allow("learning_reviewer", ITEM, "publish")
allow("learning_reviewer", "areas.area", "view")
allow("learning_reviewer", "orgs.org", "view")
allow("administrator", CATEGORY, "view", "add", "change")
