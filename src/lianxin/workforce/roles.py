"""Workers' roles (part-time grid worker, problem collector, policy promoter) are records of the worker, not
login roles; a part-time grid worker is granted the foundation's grid_worker role at the grid.

Community, town and county staff manage the workers, 双报到, 大党委 and campaigns of their area; industry
party committee staff those of the firms under their committee (org anchor); the organisation department
those of its county. A rider's own account sees their profile, registrations and campaigns by involvement.
"""

from django.utils.translation import gettext_lazy as _

from lianxin.core.nav import register_nav
from lianxin.core.roles import ALL, add_nav, allow

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

register_nav("workforce", _("New-economy workers"), "workforce:list", "⛟")
register_nav("workforce_registrations", _("Double registration"), "workforce:registrations", "⇄")
register_nav("workforce_campaigns", _("Policy campaigns"), "workforce:campaigns", "✎")
register_nav("workforce_problems", _("Problem collectors"), "workforce:problems", "◎")
register_nav("workforce_me", _("My rider services"), "workforce:me", "⛟")

for role in (*MANAGERS, "administrator"):
    add_nav(role, "workforce", "workforce_registrations", "workforce_campaigns", "workforce_problems")
add_nav("industry_committee_staff", "workforce", "workforce_registrations", "workforce_problems")
add_nav("resident", "workforce_me")
