"""Accounts from Excel: one row per account, its person (existing or new) and its role grants."""

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.areas.models import Area
from lianxin.core import pii
from lianxin.core.excel import REDACTED, Column, Importer, Problems, Row, error_field, split_list
from lianxin.core.roles import ROLES
from lianxin.core.visibility import ensure_created_in_scope, may_at
from lianxin.orgs.models import Org
from lianxin.people import services as people
from lianxin.people.imports import kind_lookup, parse_kinds
from lianxin.people.models import Person

from . import services
from .models import RoleGrant, User

COLUMNS = [
    Column("username", gettext_lazy("Username"), "用户名", aliases=("账号", "登录名"), required=True,
           width=16, example="zhangsan"),
    Column("person", gettext_lazy("Person"), "人员", aliases=("人员手机号或身份证号",), width=21, text=True,
           help=gettext_lazy("Mobile or ID number of a person already in the registry. Leave empty to add "
                             "the person from the name, mobile and area code columns.")),
    Column("name", gettext_lazy("Name"), "姓名", width=12, help=gettext_lazy("For a new person."),
           example="张三"),
    Column("phone", gettext_lazy("Mobile"), "手机号", aliases=("Mobile number", "手机", "手机号码"), width=15,
           text=True, help=gettext_lazy("For a new person; also the number for SMS sign-in."),
           example="13800138000"),
    Column("kinds", gettext_lazy("Kinds"), "类别", width=14, help=gettext_lazy("For a new person; optional."),
           example="staff"),
    Column("area", gettext_lazy("Area code"), "区划代码", aliases=("Division code", "区划"), width=14,
           text=True,
           help=gettext_lazy("The account's area (and the new person's). Empty: the person's area.")),
    Column("roles", gettext_lazy("Roles"), "角色", aliases=("Role", "角色代码"), width=22,
           help=gettext_lazy("Role codes separated by commas; “role@code” grants one at another area or "
                             "organisation."), example="community_staff"),
    Column("granted_at", gettext_lazy("Granted at"), "授权范围", aliases=("授权区划或组织代码", "授权位置"),
           width=16, text=True,
           help=gettext_lazy("Area or organisation code where the roles are granted. Empty: the account's "
                             "area.")),
    Column("password", gettext_lazy("Initial password"), "初始密码", aliases=("Password", "密码"), width=16,
           secret=True, help=gettext_lazy("Optional. Empty: the account signs in by SMS code only.")),
]


def role_lookup() -> dict[str, str]:
    names = {}
    for code, role in ROLES.items():
        names[code.casefold()] = code
        for lang in ("en", "zh-hans"):
            with translation.override(lang):
                names.setdefault(str(role.label).casefold(), code)
    return names


def _has_account(person: Person) -> bool:
    try:
        return person.account is not None
    except ObjectDoesNotExist:
        return False


class AccountsImporter(Importer):
    columns = COLUMNS
    sheet_title = gettext_lazy("Accounts")

    def __init__(self, user):
        super().__init__(user)
        self.areas = Area.objects.visible_to(user, "view")
        self.orgs = Org.objects.visible_to(user, "view")
        self.people = Person.objects.visible_to(user, "view")
        self.roles = role_lookup()
        self.kinds = kind_lookup()
        self.plan: dict[int, dict] = {}
        self.seen: dict[tuple[str, str], int] = {}

    def _first_seen(self, row, problems, key, value, message) -> bool:
        first = self.seen.setdefault((key, value), row.number)
        if first != row.number:
            problems.add(row, key, ValidationError(message % {"row": first}))
            return False
        return True

    def check_row(self, row: Row, problems: Problems) -> None:
        plan: dict = {"grants": []}
        self._check_username(row, problems, plan)
        self._check_person(row, problems, plan)
        self._check_area(row, problems, plan)
        self._check_roles(row, problems, plan)
        self._check_password(row, problems, plan)
        self.plan[row.number] = plan

    def _check_username(self, row, problems, plan) -> None:
        username = plan["username"] = row.get("username")
        if not username:
            return
        try:
            UnicodeUsernameValidator()(username)
            if len(username) > 150:
                raise ValidationError(_("A username has at most 150 characters."))
        except ValidationError as e:
            problems.add(row, "username", e)
            return
        # A username taken by an existing account is found by create_account when the row is saved.
        self._first_seen(row, problems, "username", username.casefold(),
                         _("The same username is already in row %(row)d of this file."))

    def _check_person(self, row, problems, plan) -> None:
        plan["person"] = plan["new_person"] = None
        ref = row.get("person")
        if ref:
            self._existing_person(row, problems, plan, ref)
        elif row.get("name") or row.get("phone"):
            self._new_person(row, problems, plan)

    def _existing_person(self, row, problems, plan, ref) -> None:
        number = pii.normalize_mobile(ref)
        person = self.people.filter(Q(phone=number) | Q(id_number=ref.strip().upper())).first()
        if person is None:
            problems.add(row, "person", ValidationError(
                _("No one in your scope has this mobile or ID number.")))
            return
        if not self._first_seen(row, problems, "person", str(person.pk),
                                _("The same person is already in row %(row)d of this file.")):
            return
        if _has_account(person):
            problems.add(row, "person", ValidationError(
                _("%(name)s already has an account.") % {"name": person.name}))
        plan["person"] = person

    def _new_person(self, row, problems, plan) -> None:
        new = {"name": row.get("name"), "phone": None, "kinds": []}
        if not new["name"]:
            problems.add(row, "name", ValidationError(
                _("Give the person's name, or their mobile or ID number in the Person column.")))
        elif len(new["name"]) > 60:
            problems.add(row, "name", ValidationError(_("A name has at most 60 characters.")))
        if row.get("phone"):
            try:
                new["phone"] = pii.validate_mobile(row.get("phone"))
            except ValidationError as e:
                problems.add(row, "phone", e)
            else:
                # A number already in the registry is found by create_person when the row is saved.
                self._first_seen(row, problems, "phone", new["phone"],
                                 _("The same number is already in row %(row)d of this file."))
        try:
            new["kinds"] = parse_kinds(row.get("kinds"), self.kinds)
        except ValidationError as e:
            problems.add(row, "kinds", e)
        plan["new_person"] = new

    def _area(self, code):
        return self.areas.filter(code=code).first()

    def _anchor(self, code) -> dict | None:
        area = self._area(code)
        if area is not None:
            return {"area": area}
        org = self.orgs.filter(code=code).first()
        return {"org": org} if org is not None else None

    def _check_area(self, row, problems, plan) -> None:
        code = row.get("area")
        area = None
        if code:
            area = self._area(code)
            if area is None:
                problems.add(row, "area", ValidationError(
                    _("There is no area with the code “%(code)s” in your scope.") % {"code": code}))
                return
        elif plan["person"] is not None:
            area = plan["person"].area
        elif plan["new_person"] is not None:
            problems.add(row, "area", ValidationError(_("A new person needs an area code.")))
            return
        else:
            problems.add(row, "person", ValidationError(
                _("Give the person (mobile or ID number), or a name, mobile and area code for a new one.")))
            return
        if not may_at(self.user, User, "add", area=area):
            problems.add(row, "area", ValidationError(
                _("You may not add accounts in %(area)s.") % {"area": area.name}))
        if plan["new_person"] is not None and not may_at(self.user, Person, "add", area=area):
            problems.add(row, "area", ValidationError(
                _("You may not add people in %(area)s.") % {"area": area.name}))
        plan["area"] = area

    def _check_roles(self, row, problems, plan) -> None:
        default_anchor = None
        if row.get("granted_at"):
            default_anchor = self._anchor(row.get("granted_at"))
            if default_anchor is None:
                problems.add(row, "granted_at", ValidationError(
                    _("There is no area or organisation with the code “%(code)s” in your scope.")
                    % {"code": row.get("granted_at")}))
                return
        elif plan.get("area") is not None:
            default_anchor = {"area": plan["area"]}
        seen = set()
        for word in split_list(row.get("roles")):
            name, _at, code = word.partition("@")
            role = self.roles.get(name.strip().casefold())
            if role is None:
                problems.add(row, "roles", ValidationError(
                    _("Unknown role “%(role)s”.") % {"role": name.strip()}))
                continue
            anchor = self._anchor(code.strip()) if code.strip() else default_anchor
            if anchor is None:
                if code.strip():
                    problems.add(row, "roles", ValidationError(
                        _("There is no area or organisation with the code “%(code)s” in your scope.")
                        % {"code": code.strip()}))
                continue
            try:
                services._check_role_anchor(role, anchor.get("area"), anchor.get("org"))
            except ValidationError as e:
                problems.add(row, "roles", e)
                continue
            if not may_at(self.user, RoleGrant, "add", **anchor):
                problems.add(row, "roles", ValidationError(
                    _("You may not grant roles at %(where)s.") % {"where": next(iter(anchor.values()))}))
                continue
            if (role, *anchor.items()) in seen:
                continue  # the same grant twice is harmless: keep one
            seen.add((role, *anchor.items()))
            plan["grants"].append((role, anchor))

    def _check_password(self, row, problems, plan) -> None:
        password = plan["password"] = row.get("password") or None
        if password is None:
            return
        if password == REDACTED:
            problems.add(row, "password", ValidationError(
                _("Type the password again: it was removed from the error report.")))
            return
        try:
            validate_password(password, User(username=plan["username"]))
        except ValidationError as e:
            problems.add(row, "password", e)

    def save_row(self, row: Row) -> User:
        plan = self.plan[row.number]
        person = plan["person"]
        if plan["new_person"] is not None:
            try:
                person = people.create_person(actor=self.user, area=plan["area"], **plan["new_person"])
            except ValidationError as e:
                if error_field(e) != "phone":
                    raise
                raise ValidationError({"phone": [*e.messages, _(
                    "To give that person an account, put the number in the Person column instead.")]}) from e
            ensure_created_in_scope(self.user, person)
        try:
            account = services.create_account(actor=self.user, username=plan["username"], person=person,
                                              area=plan["area"], password=plan["password"])
        except ValidationError as e:
            # Everything else create_account checks was checked on the row already: what is left is the
            # username (taken by an existing account).
            raise ValidationError({"username": e.messages}) from e
        ensure_created_in_scope(self.user, account)
        for role, anchor in plan["grants"]:
            grant = services.grant_role(actor=self.user, user=account, role=role, **anchor)
            ensure_created_in_scope(self.user, grant)
        return account

    def help_rows(self):
        rows = super().help_rows()
        rows.append([])
        rows.append([_("Roles"), _("Code")])
        rows.extend([[str(role.label), code] for code, role in ROLES.items()])
        return rows
