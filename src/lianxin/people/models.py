from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.core import pii
from lianxin.core.visibility import ScopedModel

from .kinds import PERSON_KINDS


class Gender(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")
    UNKNOWN = "", _("Not given")


class Person(ScopedModel):
    """Someone the platform knows about: separate from login accounts (many people never log in)."""

    scope_area = "area__path"
    scope_org = "org__path"

    name = models.CharField(_("name"), max_length=60)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    # Stored once, here; shown masked unless the viewer's role needs them (see people.views).
    phone = models.CharField(_("mobile number"), max_length=11, null=True, blank=True, unique=True)
    id_number = models.CharField(_("resident ID number"), max_length=18, null=True, blank=True, unique=True)
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="people", verbose_name=_("area"),
        help_text=_("Where the person lives or works; sets who is responsible for the record."),
    )
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="people", null=True, blank=True,
        verbose_name=_("organisation"),
    )
    is_party_member = models.BooleanField(_("party member"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    @classmethod
    def involvement_q(cls, user, action):
        # Everyone may see their own person record.
        return Q(account=user) if action == "view" else None

    @property
    def phone_masked(self) -> str:
        return pii.mask_mobile(self.phone or "")

    @property
    def id_number_masked(self) -> str:
        return pii.mask_id_number(self.id_number or "")

    @property
    def kind_codes(self) -> list[str]:
        return [t.kind for t in self.tags.all()]

    @property
    def kind_labels(self) -> list:
        return [PERSON_KINDS.get(code, code) for code in self.kind_codes]


class PersonTag(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(_("kind"), max_length=32, db_index=True)

    class Meta:
        verbose_name = _("person kind")
        verbose_name_plural = _("person kinds")
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="person_tag_unique")]

    def __str__(self):
        return f"{self.person} · {PERSON_KINDS.get(self.kind, self.kind)}"
