"""A briefing (工作简报): figures of an area and period frozen when drafted, drafted sentences edited by staff,
then issued (签发) with an issue number; issued briefings are the archive and never change."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core.visibility import ScopedModel


class BriefingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


class Briefing(ScopedModel):
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    period_kind = models.CharField(_("period"), max_length=8)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    title = models.CharField(_("title"), max_length=120)
    issuer = models.CharField(_("issued by"), max_length=120)
    recipients = models.CharField(_("recipients"), max_length=300, blank=True)
    sections = models.JSONField(_("sections"), default=list)  # the apps of the figure sets it reports
    snapshot = models.JSONField(_("figures"), default=dict)  # reports.table.collect, frozen when drafted
    highlights = models.TextField(_("highlights"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=BriefingStatus.choices,
                              default=BriefingStatus.DRAFT)
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("issue number"), null=True, blank=True)  # within the area and year
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("drafted at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("signed off by"))
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    automatic = models.BooleanField(_("drafted by the monthly run"), default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        constraints = [models.UniqueConstraint(fields=["area", "year", "number"], name="briefing_number_unique")]

    def __str__(self):
        return f"{self.title} {self.issue_label}"

    @property
    def issue_label(self) -> str:
        return f"{self.year}年第{self.number}期" if self.number else "（未签发）"

    @property
    def name(self) -> str:  # what the permission matrix searches a list by
        return self.title

    @property
    def issued(self) -> bool:
        return self.status == BriefingStatus.ISSUED


class Subscription(ScopedModel):
    """A user who receives the monthly briefing of an area (drafted by the worker on the first days of a month)."""

    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+", verbose_name=_("area"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("briefing subscription")
        verbose_name_plural = _("briefing subscriptions")
        constraints = [models.UniqueConstraint(fields=["user", "area"], name="briefing_subscription_unique")]

    def __str__(self):
        return f"{self.user_id} {self.area_id}"
