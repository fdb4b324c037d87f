from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core.trees import TreeNode
from lianxin.core.visibility import ScopedModel


class OrgKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    WORKING_COMMITTEE = "working_committee", _("Working committee")
    INDUSTRY_COMMITTEE = "industry_committee", _("Industry party committee")
    GENERAL_BRANCH = "general_branch", _("General party branch")
    BRANCH = "branch", _("Party branch")
    TEMPORARY_BRANCH = "temporary_branch", _("Temporary party branch")
    DEPARTMENT = "department", _("Government department")
    FIRM = "firm", _("Firm")
    SOCIAL_ORG = "social_org", _("Social organisation")


PARTY_KINDS = {
    OrgKind.PARTY_COMMITTEE, OrgKind.WORKING_COMMITTEE, OrgKind.INDUSTRY_COMMITTEE,
    OrgKind.GENERAL_BRANCH, OrgKind.BRANCH, OrgKind.TEMPORARY_BRANCH,
}


class Industry(models.TextChoices):
    EXPRESS = "express", _("Express delivery")
    FOOD_DELIVERY = "food_delivery", _("Food delivery")
    RIDE_HAILING = "ride_hailing", _("Ride-hailing")
    FREIGHT = "freight", _("Freight")
    OTHER = "other", _("Other")


class Org(TreeNode, ScopedModel):
    scope_area = "area__path"
    scope_org = "path"

    kind = models.CharField(_("kind"), max_length=24, choices=OrgKind.choices)
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    code = models.CharField(
        _("code"), max_length=40, unique=True, null=True, blank=True,
        help_text=_("Unified social credit code or internal code; optional."),
    )
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="orgs", verbose_name=_("area"),
        help_text=_("Where the organisation sits; it is seen by those responsible for this area."),
    )
    industry = models.CharField(_("industry"), max_length=24, choices=Industry.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]

    def __str__(self):
        return self.name
