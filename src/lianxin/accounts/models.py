from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.core.roles import ROLES
from lianxin.core.visibility import ScopedQuerySet


class UserManager(DjangoUserManager.from_queryset(ScopedQuerySet)):
    pass


class User(AbstractUser):
    """A login. The person behind it (name, phone, ID) lives in people.Person, stored once."""

    scope_area = "area__path"
    scope_org = None

    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="account",
        verbose_name=_("person"),
    )
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="accounts",
        verbose_name=_("area"), help_text=_("The area whose administrators manage this account."),
    )
    large_text = models.BooleanField(_("large text"), default=False)
    # The language chosen with the switch (empty: the platform's, Simplified Chinese): notifications are written
    # in it whoever acts.
    language = models.CharField(_("language"), max_length=10, blank=True, default="")

    objects = UserManager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.person_id:
            return self.person.name
        return self.get_full_name() or self.username

    @classmethod
    def involvement_q(cls, user, action):
        return Q(pk=user.pk) if action == "view" else None


class RoleGrant(models.Model):
    """A role given to an account at an area or an org; it reaches that node's whole subtree."""

    # A grant at an org is managed by whoever manages the org's area.
    scope_area = ("area__path", "org__area__path")
    scope_org = "org__path"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants", verbose_name=_("account"))
    role = models.CharField(_("role"), max_length=40)
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="grants", verbose_name=_("area")
    )
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="grants",
        verbose_name=_("organisation"),
    )
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("granted by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = models.Manager.from_queryset(ScopedQuerySet)()

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.CheckConstraint(
                condition=(Q(area__isnull=False, org__isnull=True) | Q(area__isnull=True, org__isnull=False)),
                name="grant_area_xor_org",
            ),
            models.UniqueConstraint(fields=["user", "role", "area"], condition=Q(org__isnull=True),
                                    name="grant_unique_area"),
            models.UniqueConstraint(fields=["user", "role", "org"], condition=Q(area__isnull=True),
                                    name="grant_unique_org"),
        ]

    def __str__(self):
        return f"{self.role_label} @ {self.area or self.org}"

    @property
    def role_label(self):
        role = ROLES.get(self.role)
        return role.label if role else self.role

    @classmethod
    def involvement_q(cls, user, action):
        return Q(user=user) if action == "view" else None


class SmsCode(models.Model):
    """A one-time login code. Neither the number nor the code is stored in clear."""

    phone_digest = models.CharField(max_length=64, db_index=True)
    code_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    def __str__(self):
        return f"SMS code {self.pk} ({self.created_at:%Y-%m-%d %H:%M})"
