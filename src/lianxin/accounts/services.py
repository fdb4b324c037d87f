"""The write path for accounts and role grants."""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lianxin.areas.models import Area
from lianxin.core.audit import actor_context
from lianxin.core.pii import validate_mobile
from lianxin.core.roles import ROLES
from lianxin.people.models import Person
from lianxin.people.services import create_person

from .models import RoleGrant, User


def _check_role_anchor(role: str, area, org) -> None:
    if role not in ROLES:
        raise ValidationError(_("Unknown role “%(role)s”.") % {"role": role})
    if (area is None) == (org is None):
        raise ValidationError(_("A role is granted at exactly one area or one organisation."))
    level = ROLES[role].level
    if level == "org" and org is None:
        raise ValidationError(_("The role “%(role)s” is granted at an organisation.") % {"role": ROLES[role].label})


@transaction.atomic
def create_account(*, actor, username: str, person: Person | None, area: Area | None, password: str | None = None,
                   grants=()) -> User:
    username = username.strip()
    if not username:
        raise ValidationError(_("A username is required."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("The username “%(u)s” is taken.") % {"u": username}}, code="taken")
    if person is not None and User.objects.filter(person=person).exists():
        raise ValidationError(_("%(name)s already has an account.") % {"name": person.name})
    user = User(username=username, person=person, area=area or (person.area if person else None))
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    with actor_context(actor):
        user.save()
        for role, anchor in grants:
            grant_role(actor=actor, user=user, role=role, **anchor)
    return user


@transaction.atomic
def update_account(user: User, *, actor, is_active: bool | None = None, area=..., password: str | None = None) -> User:
    if is_active is not None:
        user.is_active = is_active
    if area is not ...:
        user.area = area
    if password:
        validate_password(password, user)
        user.set_password(password)
    with actor_context(actor):
        user.save()
    return user


@transaction.atomic
def grant_role(*, actor, user: User, role: str, area: Area | None = None, org=None) -> RoleGrant:
    _check_role_anchor(role, area, org)
    try:
        with actor_context(actor), transaction.atomic():
            grant = RoleGrant.objects.create(user=user, role=role, area=area, org=org,
                                             granted_by=actor if isinstance(actor, User) else None)
    except IntegrityError as e:
        raise ValidationError(_("This account already has that role there.")) from e
    return grant


@transaction.atomic
def revoke_grant(grant: RoleGrant, *, actor) -> None:
    with actor_context(actor):
        grant.delete()


def root_area() -> Area:
    return Area.objects.filter(parent__isnull=True).order_by("pk").first()


@transaction.atomic
def resident_account_for_phone(phone: str) -> User:
    """The account behind a verified mobile number; first sign-in registers a resident."""
    phone = validate_mobile(phone)
    person = Person.objects.select_for_update().filter(phone=phone).first()
    if person is None:
        person = create_person(actor=None, name=_("Resident %(tail)s") % {"tail": phone[-4:]}, phone=phone,
                               area=root_area(), kinds=["resident"])
    user = User.objects.filter(person=person).first()
    if user is None:
        user = create_account(actor=None, username=f"m{secrets.token_hex(5)}", person=person, area=person.area)
        grant_role(actor=None, user=user, role="resident", area=person.area)
    return user
