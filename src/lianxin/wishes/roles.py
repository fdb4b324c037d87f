from django.utils.translation import gettext_lazy as _

from lianxin.core.roles import allow, register_role

# Granted at an area: the volunteer may claim the wishes there (the wish board shows them).
# Granted at a volunteer studio (an org of kind social_org): the volunteer acts for the studio — handles the
# wishes dispatched to it (cases.models.HANDLER_ROLES) and claims on its behalf.
register_role("volunteer", _("Volunteer"), level="community")
allow("volunteer", "cases.case", "claim")
