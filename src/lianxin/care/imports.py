"""Retirees in and out of Excel: each row makes (or reuses) a person, the retiree profile and the 2+1.

A row whose ID number (else mobile) matches a registered retiree updates that retiree instead (update mode):
filled cells replace stored values, empty cells keep them."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.areas.models import Area
from lianxin.core import pii
from lianxin.core.excel import Column, Importer, Problems, Row, parse_date, split_list
from lianxin.core.visibility import can, ensure_created_in_scope, may_at
from lianxin.orgs.models import Org
from lianxin.people import services as people
from lianxin.people.models import Person

from . import services
from .models import FLAGS, Retiree, Status

COLUMNS = [
    Column("name", gettext_lazy("Name"), "姓名", required=True, width=14, example="张三"),
    Column("phone", gettext_lazy("Mobile"), "手机号", aliases=("手机", "phone"), width=15, text=True,
           example="13800138000"),
    Column("id_number", gettext_lazy("ID number"), "身份证号", aliases=("身份证", "公民身份号码"), width=21, text=True),
    Column("area", gettext_lazy("Area code"), "区划代码", aliases=("区划", "area"), required=True, width=14,
           text=True, help=gettext_lazy("Where the retiree lives (often a grid).")),
    Column("unit", gettext_lazy("Unit code"), "原单位代码", aliases=("单位代码", "unit"), width=16, text=True,
           help=gettext_lazy("Optional: the organisation code of the former unit.")),
    Column("former_post", gettext_lazy("Former post"), "原职务", width=16),
    Column("level", gettext_lazy("Level"), "职级", width=10),
    Column("retirement_date", gettext_lazy("Retirement date"), "退休时间", aliases=("退休日期",), width=12,
           help=gettext_lazy("A date, e.g. 2020-06-30."), example="2020-06-30"),
    Column("flags", gettext_lazy("Circumstances"), "情况", aliases=("Flags", "flags", "标记"), width=24,
           help=gettext_lazy("Any of: empty nest, living alone, limited mobility, chronic illness; separated by "
                             "commas. When updating, “none” clears them.")),
    Column("care_cadre", gettext_lazy("Care cadre username"), "包保干部账号", aliases=("包保干部",), width=16),
    Column("family_doctor", gettext_lazy("Family doctor username"), "家庭医生账号", aliases=("家庭医生",),
           width=16),
]

FLAG_WORDS = {
    "empty_nest": ("empty nest", "空巢"), "living_alone": ("living alone", "独居"),
    "limited_mobility": ("limited mobility", "行动不便", "失能"), "chronic_illness": ("chronic illness", "慢性病"),
}


# In the circumstances column of an update: the retiree has none of them any more.
CLEAR_WORDS = {"none", "无", "没有"}


def flag_lookup() -> dict[str, str]:
    names = {}
    for code, words in FLAG_WORDS.items():
        names[code] = code
        for w in words:
            names[w.casefold()] = code
    return names


class RetireeImporter(Importer):
    columns = COLUMNS
    sheet_title = gettext_lazy("Retirees")

    def __init__(self, user):
        super().__init__(user)
        self.areas = Area.objects.visible_to(user, "view")
        self.orgs = Org.objects.visible_to(user, "view")
        self.flags = flag_lookup()
        self.plan: dict[int, dict] = {}
        self.seen: dict[tuple[str, str], int] = {}

    def may_add_at(self, area: Area) -> bool:
        return may_at(self.user, Retiree, "add", area=area)

    def check_row(self, row: Row, problems: Problems) -> None:
        fields = {"name": row.get("name")[:60]}
        for key, validate in (("phone", pii.validate_mobile), ("id_number", pii.validate_id_number)):
            fields[key] = ""
            if row.get(key):
                try:
                    fields[key] = validate(row.get(key))
                except ValidationError as e:
                    problems.add(row, key, e)
                    continue
                first = self.seen.setdefault((key, fields[key]), row.number)
                if first != row.number:
                    problems.add(row, key, ValidationError(
                        _("The same number is already in row %(row)d of this file.") % {"row": first}))
        code = row.get("area")
        area = self.areas.filter(code=code).first() if code else None
        if code and area is None:
            problems.add(row, "area", ValidationError(
                _("There is no area with the code “%(code)s” in your scope.") % {"code": code}))
        elif area is not None and not self.may_add_at(area):
            problems.add(row, "area", ValidationError(_("You may not add retirees in %(area)s.") % {"area": area.name}))
        fields["area"] = area
        unit = None
        if row.get("unit"):
            unit = self.orgs.filter(code=row.get("unit")).first()
            if unit is None:
                problems.add(row, "unit", ValidationError(
                    _("There is no organisation with the code “%(code)s” in your scope.") % {"code": row.get("unit")}))
        fields["unit"] = unit
        fields["former_post"], fields["level"] = row.get("former_post")[:80], row.get("level")[:40]
        try:
            fields["retirement_date"] = parse_date(row, "retirement_date")
        except ValidationError as e:
            problems.add(row, "retirement_date", e)
        unknown = []
        for word in split_list(row.get("flags")):
            code = self.flags.get(word.casefold())
            if word.casefold() in CLEAR_WORDS:
                continue
            if code:
                fields[code] = True
            else:
                unknown.append(word)
        if unknown:
            problems.add(row, "flags", ValidationError(_("Unknown circumstance(s): %(k)s") % {"k": ", ".join(unknown)}))
        for key in ("care_cadre", "family_doctor"):
            fields[key] = None
            if row.get(key):
                try:
                    fields[key] = services.find_assignee(row.get(key), key)
                except ValidationError as e:
                    problems.add(row, key, e)
        fields["clear_flags"] = any(w.casefold() in CLEAR_WORDS for w in split_list(row.get("flags")))
        existing = self._existing(fields, row, problems)
        fields["person"], fields["retiree"] = existing, None
        if existing is not None:
            retiree = Retiree.objects.visible_to(self.user).filter(person=existing).first()
            if retiree is not None and not can(self.user, retiree, "change"):
                problems.add(row, None, ValidationError(_("You may not change the retiree %(name)s.")
                                                        % {"name": existing.name}))
            elif retiree is not None and retiree.status == Status.DECEASED:
                problems.add(row, None, ValidationError(_("%(name)s has died: the record is not changed any more.")
                                                        % {"name": existing.name}))
            fields["retiree"] = retiree
        self.plan[row.number] = fields

    def _existing(self, fields, row: Row, problems: Problems) -> Person | None:
        """The person already in the registry (and in scope) with the row's ID number, else its mobile.

        Both given but matching two different people is a row error: the file mixes up two persons."""
        visible = Person.objects.visible_to(self.user)
        by_id = visible.filter(id_number=fields["id_number"]).first() if fields.get("id_number") else None
        by_phone = visible.filter(phone=fields["phone"]).first() if fields.get("phone") else None
        if by_id and by_phone and by_id.pk != by_phone.pk:
            problems.add(row, "phone", ValidationError(
                _("The ID number and the mobile belong to two different people in the registry.")))
        return by_id or by_phone

    def save_row(self, row: Row) -> Retiree:
        f = dict(self.plan[row.number])
        if f["retiree"] is not None:
            return self._update(f)
        person = f.pop("person") or people.create_person(
            actor=self.user, name=f["name"], area=f["area"], kinds=["retired_cadre"], phone=f["phone"],
            id_number=f["id_number"])
        retiree = services.create_retiree(
            actor=self.user, person=person, care_cadre=f["care_cadre"], family_doctor=f["family_doctor"],
            **{k: f[k] for k in ("unit", "former_post", "level", "retirement_date", *FLAGS) if k in f})
        ensure_created_in_scope(self.user, retiree)
        return retiree

    def _update(self, f: dict) -> Retiree:
        """Update mode: filled cells replace the stored values, empty cells keep them. A new area is a move
        (the duties follow, as with the status change), a new care cadre or doctor a re-assignment."""
        retiree = f["retiree"]
        person = retiree.person
        missing = {k: f[k] for k in ("phone", "id_number") if f[k] and not getattr(person, k)}
        if missing:
            people.update_person(person, actor=self.user, **missing)
        changes = {k: f[k] for k in ("unit", "former_post", "level", "retirement_date") if f.get(k)}
        if f["clear_flags"] or any(f.get(flag) for flag in FLAGS):
            changes.update({flag: bool(f.get(flag)) for flag in FLAGS})
        if changes:
            retiree = services.update_profile(retiree, actor=self.user, **changes)
        if f["area"] is not None and f["area"].pk != person.area_id:
            retiree = services.change_status(retiree, Status.MOVED, actor=self.user, area=f["area"],
                                             care_cadre=f["care_cadre"], note=_("Updated by import"))
        for role in ("care_cadre", "family_doctor"):
            if f[role] is not None:
                services.assign(retiree, role=role, user=f[role], actor=self.user, note=_("Updated by import"))
        ensure_created_in_scope(self.user, retiree, "change")
        return retiree

    def field_key(self, model_field):
        return {"phone": "phone", "id_number": "id_number"}.get(model_field)


EXPORT_COLUMNS = [
    Column("name", gettext_lazy("Name"), "姓名", width=14),
    Column("phone", gettext_lazy("Mobile"), "手机号", width=15, text=True),
    Column("area_name", gettext_lazy("Area"), "区划", width=16),
    Column("area", gettext_lazy("Area code"), "区划代码", width=14, text=True),
    Column("unit", gettext_lazy("Former unit"), "原单位", width=20),
    Column("former_post", gettext_lazy("Former post"), "原职务", width=16),
    Column("level", gettext_lazy("Level"), "职级", width=10),
    Column("retirement_date", gettext_lazy("Retirement date"), "退休时间", width=12),
    Column("flags", gettext_lazy("Circumstances"), "情况", width=24),
    Column("status", gettext_lazy("Status"), "状态", width=10),
    Column("care_cadre", gettext_lazy("Care cadre"), "包保干部", width=14),
    Column("family_doctor", gettext_lazy("Family doctor"), "家庭医生", width=14),
]


def export_rows(retirees):
    for r in retirees:
        current = {a.role: a.user for a in r.assignments.all() if a.ended_on is None}
        yield [
            r.person.name, r.person.phone_masked, r.person.area.name, r.person.area.code,
            r.unit.name if r.unit_id else "", r.former_post, r.level, r.retirement_date or "",
            "、".join(str(x) for x in r.flag_labels), r.get_status_display(),
            (current["care_cadre"].display_name if "care_cadre" in current else ""),
            (current["family_doctor"].display_name if "family_doctor" in current else ""),
        ]
