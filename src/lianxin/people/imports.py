"""People in and out of Excel: the import checks each row with create_person's rules, the export masks."""

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.areas.models import Area
from lianxin.core import pii
from lianxin.core.excel import Column, Importer, Problems, Row, parse_bool, split_list
from lianxin.core.visibility import ensure_created_in_scope, may_at
from lianxin.orgs.models import Org

from . import services
from .kinds import PERSON_KINDS
from .models import Gender, Person

COLUMNS = [
    Column("name", gettext_lazy("Name"), "姓名", required=True, width=14, example="张三"),
    Column("gender", gettext_lazy("Gender"), "性别", width=8,
           help=gettext_lazy("Male or female; taken from the ID number when empty."), example="男"),
    Column("phone", gettext_lazy("Mobile"), "手机号", aliases=("Mobile number", "手机", "手机号码", "phone"),
           width=15, text=True, example="13800138000"),
    Column("id_number", gettext_lazy("ID number"), "身份证号",
           aliases=("Resident ID number", "身份证", "身份证号码", "公民身份号码"), width=21, text=True,
           example="11010519491231002X"),
    Column("kinds", gettext_lazy("Kinds"), "类别", aliases=("Kind", "人员类别", "类型"), width=18,
           help=gettext_lazy("One or more kinds, by code or name, separated by commas."), example="resident"),
    Column("area", gettext_lazy("Area code"), "区划代码", aliases=("Division code", "区划", "area"),
           required=True, width=14, text=True,
           help=gettext_lazy("The division code of the area (often a grid).")),
    Column("org", gettext_lazy("Org code"), "组织代码", aliases=("Organisation code", "组织", "org"),
           width=20, text=True, help=gettext_lazy("Optional: the code of the person's organisation.")),
    Column("is_party_member", gettext_lazy("Party member"), "党员", aliases=("是否党员",), width=8,
           help=gettext_lazy("Yes or no."), example="否"),
    Column("notes", gettext_lazy("Notes"), "备注", width=30),
]

GENDER_WORDS = {
    "m": Gender.MALE, "male": Gender.MALE, "男": Gender.MALE,
    "f": Gender.FEMALE, "female": Gender.FEMALE, "女": Gender.FEMALE,
}


def kind_lookup() -> dict[str, str]:
    """Every way a kind may be written (code, English or Chinese label) -> its code."""
    names = {}
    for code, label in PERSON_KINDS.items():
        names[code.casefold()] = code
        for lang in ("en", "zh-hans"):
            with translation.override(lang):
                names.setdefault(str(label).casefold(), code)
    return names


def parse_kinds(text: str, lookup: dict) -> list[str]:
    codes, unknown = [], []
    for word in split_list(text):
        code = lookup.get(word.casefold())
        (codes if code else unknown).append(code or word)
    if unknown:
        raise ValidationError(_("Unknown kind(s): %(k)s") % {"k": ", ".join(unknown)})
    return sorted(set(codes))


class PeopleImporter(Importer):
    columns = COLUMNS
    sheet_title = gettext_lazy("People")

    def __init__(self, user):
        super().__init__(user)
        self.kinds = kind_lookup()
        self.areas = Area.objects.visible_to(user, "view")
        self.orgs = Org.objects.visible_to(user, "view")
        self.plan: dict[int, dict] = {}
        self.seen: dict[tuple[str, str], int] = {}
        self._area_cache: dict[str, Area | None] = {}

    def area_by_code(self, code: str) -> Area | None:
        if code not in self._area_cache:
            self._area_cache[code] = self.areas.filter(code=code).first()
        return self._area_cache[code]

    def check_row(self, row: Row, problems: Problems) -> None:
        fields = {"name": row.get("name")}
        if len(fields["name"]) > 60:
            problems.add(row, "name", ValidationError(_("A name has at most 60 characters.")))
        self._check_numbers(row, problems, fields)
        try:
            fields["kinds"] = parse_kinds(row.get("kinds"), self.kinds)
        except ValidationError as e:
            problems.add(row, "kinds", e)
        gender = row.get("gender").casefold()
        if gender and gender not in GENDER_WORDS:
            problems.add(row, "gender", ValidationError(_("Write male or female (男 or 女).")))
        fields["gender"] = GENDER_WORDS.get(gender, "")
        try:
            fields["is_party_member"] = parse_bool(row.get("is_party_member"))
        except ValidationError as e:
            problems.add(row, "is_party_member", e)
        fields["notes"] = row.get("notes")
        self._check_place(row, problems, fields)
        self.plan[row.number] = fields

    def _check_numbers(self, row, problems, fields) -> None:
        # Numbers already in the registry are found by create_person itself when the row is saved.
        for key, validate in (("phone", pii.validate_mobile), ("id_number", pii.validate_id_number)):
            value = row.get(key)
            fields[key] = ""
            if not value:
                continue
            if key == "id_number" and isinstance(row.raw.get(key), int | float):
                problems.add(row, key, ValidationError(
                    _("Excel stored this ID number as a number and may have changed its last digits: format "
                      "the column as text and type it again.")))
                continue
            try:
                value = validate(value)
            except ValidationError as e:
                problems.add(row, key, e)
                continue
            fields[key] = value
            first = self.seen.setdefault((key, value), row.number)
            if first != row.number:
                problems.add(row, key, ValidationError(
                    _("The same number is already in row %(row)d of this file.") % {"row": first}))

    def _check_place(self, row, problems, fields) -> None:
        area = org = None
        code = row.get("area")
        if code:
            area = self.area_by_code(code)
            if area is None:
                # Hidden and missing look the same.
                problems.add(row, "area", ValidationError(
                    _("There is no area with the code “%(code)s” in your scope.") % {"code": code}))
        if row.get("org"):
            org = self.orgs.filter(code=row.get("org")).first()
            if org is None:
                problems.add(row, "org", ValidationError(
                    _("There is no organisation with the code “%(code)s” in your scope.")
                    % {"code": row.get("org")}))
        if area is not None and not may_at(self.user, Person, "add", area=area, org=org):
            problems.add(row, "area", ValidationError(
                _("You may not add people in %(area)s.") % {"area": area.name}))
        fields["area"], fields["org"] = area, org

    def save_row(self, row: Row) -> Person:
        fields = dict(self.plan[row.number])
        person = services.create_person(actor=self.user, **fields)
        ensure_created_in_scope(self.user, person)
        return person

    def example_rows(self):
        # The example points at an area the user may really use.
        area = next((a for a in self.areas.order_by("-depth", "path")[:50]
                     if may_at(self.user, Person, "add", area=a)), None)
        return [[area.code if c.key == "area" and area else c.example for c in self.columns]]

    def help_rows(self):
        rows = super().help_rows()
        rows.append([])
        rows.append([_("Kinds"), _("Code")])
        rows.extend([[str(label), code] for code, label in PERSON_KINDS.items()])
        return rows


EXPORT_COLUMNS = [
    Column("name", gettext_lazy("Name"), "姓名", width=14),
    Column("gender", gettext_lazy("Gender"), "性别", width=8),
    Column("kinds", gettext_lazy("Kinds"), "类别", width=24),
    Column("phone", gettext_lazy("Mobile"), "手机号", width=15, text=True),
    Column("id_number", gettext_lazy("ID number"), "身份证号", width=21, text=True),
    Column("area_name", gettext_lazy("Area"), "区划", width=16),
    Column("area", gettext_lazy("Area code"), "区划代码", width=14, text=True),
    Column("org_name", gettext_lazy("Organisation"), "组织", width=24),
    Column("org", gettext_lazy("Org code"), "组织代码", width=20, text=True),
    Column("is_party_member", gettext_lazy("Party member"), "党员", width=8),
    Column("notes", gettext_lazy("Notes"), "备注", width=30),
]


def export_rows(people):
    """Rows of the export. Numbers are masked: full ones only leave through the audited reveal."""
    yes, no = _("Yes"), _("No")
    for p in people:
        yield [
            p.name, p.get_gender_display() if p.gender else "", "、".join(str(k) for k in p.kind_labels),
            p.phone_masked, p.id_number_masked, p.area.name, p.area.code,
            p.org.name if p.org_id else "", (p.org.code or "") if p.org_id else "",
            yes if p.is_party_member else no, p.notes,
        ]
