"""The green-channel request (人才接诉即办): a case type. The talent office (or county staff) of the county
accepts it and routes it to the responsible department; the department handles it within the limit of its
category; the office verifies and closes it. No loop of its own: every step is a case-engine move."""

from django.utils.translation import gettext_lazy as _

from lianxin.cases.types import CaseType

REQUEST = "talent_request"


def request_type() -> CaseType:
    return CaseType(REQUEST, _("Talent request"), "R", split_levels=set(), intake_level="county",
                    reporter_rates=False, extra_dispatch_roles={"talent_officer", "org_department"})
