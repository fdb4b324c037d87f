"""The write path for people."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from lianxin.core import pii
from lianxin.core.audit import actor_context, record_access

from .kinds import PERSON_KINDS
from .models import Person, PersonTag

EDITABLE = ("name", "gender", "birth_date", "phone", "id_number", "area", "org", "is_party_member", "notes")


def _clean_personal(fields: dict) -> None:
    if fields.get("phone"):
        fields["phone"] = pii.validate_mobile(fields["phone"])
    else:
        fields["phone"] = None
    if fields.get("id_number"):
        fields["id_number"] = pii.validate_id_number(fields["id_number"])
        fields.setdefault("birth_date", None)
        fields["birth_date"] = fields["birth_date"] or pii.birth_date_from_id(fields["id_number"])
        if not fields.get("gender"):
            fields["gender"] = "m" if int(fields["id_number"][16]) % 2 else "f"
    else:
        fields["id_number"] = None


def _check_unique(person: Person) -> None:
    others = Person.objects.exclude(pk=person.pk)
    if person.phone and others.filter(phone=person.phone).exists():
        raise ValidationError({"phone": _("This mobile number already belongs to someone in the registry.")})
    if person.id_number and others.filter(id_number=person.id_number).exists():
        raise ValidationError({"id_number": _("This ID number already belongs to someone in the registry.")})


def _set_kinds(person: Person, kinds) -> None:
    kinds = set(kinds)
    unknown = kinds - set(PERSON_KINDS)
    if unknown:
        raise ValidationError(_("Unknown kind(s): %(k)s") % {"k": ", ".join(sorted(unknown))})
    current = set(person.tags.values_list("kind", flat=True))
    for tag in person.tags.filter(kind__in=current - kinds):
        tag.delete()
    for kind in sorted(kinds - current):
        PersonTag.objects.create(person=person, kind=kind)


@transaction.atomic
def create_person(*, actor, name: str, area, kinds=(), **fields) -> Person:
    fields = {k: v for k, v in fields.items() if k in EDITABLE}
    _clean_personal(fields)
    person = Person(name=(name or "").strip(), area=area, **fields)
    person.full_clean(validate_unique=False)
    _check_unique(person)
    try:
        with actor_context(actor), transaction.atomic():
            person.save()
            _set_kinds(person, kinds)
    except IntegrityError as e:  # a concurrent insert of the same number
        raise ValidationError(_("This mobile or ID number already belongs to someone in the registry.")) from e
    return person


@transaction.atomic
def update_person(person: Person, *, actor, kinds=None, **fields) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    fields = {k: v for k, v in fields.items() if k in EDITABLE}
    for key in ("phone", "id_number"):
        fields.setdefault(key, getattr(person, key))
    _clean_personal(fields)
    for key, value in fields.items():
        setattr(person, key, value)
    person.full_clean(validate_unique=False)
    _check_unique(person)
    with actor_context(actor):
        person.save()
        if kinds is not None:
            _set_kinds(person, kinds)
    return person


@transaction.atomic
def delete_person(person: Person, *, actor) -> None:
    person = Person.objects.select_for_update().get(pk=person.pk)  # the audit entry records the stored values
    try:
        with actor_context(actor), transaction.atomic():
            person.tags.all().delete()
            person.delete()
    except ProtectedError as e:
        raise ValidationError(
            _("%(name)s is still referenced (for example by a login account) and cannot be deleted.")
            % {"name": person.name}
        ) from e


def reveal(person: Person, *, actor, field: str) -> str:
    """Return a full phone or ID number and write the audit entry that it was shown to ``actor``."""
    if field not in ("phone", "id_number"):
        raise ValueError(field)
    record_access(person, actor=actor, what=field)
    return getattr(person, field) or ""
