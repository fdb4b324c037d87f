"""The talent registry in and out of Excel. A row adds the talent (and the person, or the one already registered
with the row's mobile or ID number); any row's problem stops the whole file (core.importing: all or nothing)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.areas.models import Area
from lianxin.core import pii
from lianxin.core.excel import Column, Importer, Problems, Row, parse_date
from lianxin.core.visibility import ensure_created_in_scope, may_at
from lianxin.orgs.models import Org
from lianxin.people import services as people
from lianxin.people.models import Person

from . import queries, services
from .models import IntakeWay, Talent, TalentIndustry

COLUMNS = [
    Column("name", gettext_lazy("Name"), "姓名", required=True, width=12, example="孔德明"),
    Column("phone", gettext_lazy("Mobile"), "手机号", aliases=("手机",), width=15, text=True, example="13800138000"),
    Column("id_number", gettext_lazy("ID number"), "身份证号", aliases=("身份证",), width=21, text=True),
    Column("area", gettext_lazy("Area code"), "区划代码", aliases=("区划",), required=True, width=14, text=True,
           help=gettext_lazy("Where the talent lives or works.")),
    Column("tier", gettext_lazy("Tier"), "人才层次", required=True, width=20,
           help=gettext_lazy("A tier's name or code, e.g. 泰山产业领军人才 or taishan."), example="泰山产业领军人才"),
    Column("field", gettext_lazy("Field"), "专业领域", width=16, example="高分子材料"),
    Column("industry", gettext_lazy("Industry"), "产业", width=14,
           help=gettext_lazy("One of the industries of the registry, in either language."), example="新材料"),
    Column("employer", gettext_lazy("Employer code"), "工作单位代码", aliases=("单位代码",), width=18, text=True,
           help=gettext_lazy("The organisation code of the employer.")),
    Column("intake_date", gettext_lazy("Intake date"), "引进时间", width=12, example="2024-05-20"),
    Column("intake_way", gettext_lazy("Way of intake"), "引进方式", width=12, example="全职引进"),
    Column("honours", gettext_lazy("Honours"), "荣誉", width=30),
]

ZH_WAYS = {"全职引进": IntakeWay.FULL_TIME, "柔性引进": IntakeWay.FLEXIBLE, "返乡": IntakeWay.RETURNED,
           "返乡创业": IntakeWay.RETURNED, "本土培养": IntakeWay.LOCAL}
ZH_INDUSTRIES = {"高端装备": "equipment", "高端装备制造": "equipment", "新材料": "materials", "生物医药": "biomedicine",
                 "现代农业": "agriculture", "纺织服装": "textiles", "电子信息": "electronics", "文化旅游": "culture",
                 "教育": "education", "医疗卫生": "health", "其他": "other"}


def _lookup(choices, zh: dict) -> dict:
    names = {k.casefold(): v for k, v in zh.items()}
    for value, label in choices:
        names[value.casefold()] = value
        names[str(label).casefold()] = value
    return names


class TalentImporter(Importer):
    columns = COLUMNS
    sheet_title = gettext_lazy("Talents")

    def __init__(self, user):
        super().__init__(user)
        self.areas = Area.objects.visible_to(user, "view")
        self.orgs = Org.objects.visible_to(user, "view")
        self.tiers = {}
        for t in queries.active_tiers():
            for key in (t.code, t.name, t.name_en):
                if key:
                    self.tiers[key.casefold()] = t
        self.ways = _lookup(IntakeWay.choices, ZH_WAYS)
        self.industries = _lookup(TalentIndustry.choices, ZH_INDUSTRIES)
        self.plan: dict[int, dict] = {}
        self.seen: dict = {}

    def check_row(self, row: Row, problems: Problems) -> None:
        f = {"name": row.get("name")[:60], "phone": None, "id_number": None}
        for key, validate in (("phone", pii.validate_mobile), ("id_number", pii.validate_id_number)):
            if row.get(key):
                try:
                    f[key] = validate(row.get(key))
                except ValidationError as e:
                    problems.add(row, key, e)
                    continue
                first = self.seen.setdefault((key, f[key]), row.number)
                if first != row.number:
                    problems.add(row, key, ValidationError(
                        _("The same number is already in row %(row)d of this file.") % {"row": first}))
        code = row.get("area")
        area = self.areas.filter(code=code).first() if code else None
        if code and area is None:
            problems.add(row, "area", ValidationError(
                _("There is no area with the code “%(code)s” in your scope.") % {"code": code}))
        elif area is not None and not may_at(self.user, Talent, "add", area=area):
            problems.add(row, "area", ValidationError(_("You may not add talents in %(area)s.") % {"area": area.name}))
        f["area"] = area
        if row.get("tier"):
            f["tier"] = self.tiers.get(row.get("tier").casefold())
            if f["tier"] is None:
                problems.add(row, "tier", ValidationError(_("Unknown tier “%(t)s”.") % {"t": row.get("tier")}))
        for key, names, default in (("industry", self.industries, "other"), ("intake_way", self.ways, "full_time")):
            text = row.get(key)
            f[key] = names.get(text.casefold(), None) if text else default
            if f[key] is None:
                problems.add(row, key, ValidationError(_("Unknown value “%(v)s”.") % {"v": text}))
        f["employer"] = None
        if row.get("employer"):
            f["employer"] = self.orgs.filter(code=row.get("employer")).first()
            if f["employer"] is None:
                message = _("There is no organisation with the code “%(code)s” in your scope.")
                problems.add(row, "employer", ValidationError(message % {"code": row.get("employer")}))
        try:
            f["intake_date"] = parse_date(row, "intake_date")
        except ValidationError as e:
            problems.add(row, "intake_date", e)
        f["field"], f["honours"] = row.get("field")[:80], row.get("honours")
        person = None
        visible = Person.objects.visible_to(self.user)
        if f["id_number"]:
            person = visible.filter(id_number=f["id_number"]).first()
        if person is None and f["phone"]:
            person = visible.filter(phone=f["phone"]).first()
        if person is not None and queries.is_registered(person):
            problems.add(row, None, ValidationError(
                _("%(name)s is already in the talent registry.") % {"name": person.name}))
        f["person"] = person
        self.plan[row.number] = f

    def save_row(self, row: Row) -> Talent:
        f = self.plan[row.number]
        person = f["person"] or people.create_person(actor=self.user, name=f["name"], area=f["area"],
                                                     kinds=["expert"], phone=f["phone"], id_number=f["id_number"])
        talent = services.create_talent(actor=self.user, person=person, **{
            k: f[k] for k in ("tier", "field", "industry", "employer", "intake_date", "intake_way", "honours")})
        ensure_created_in_scope(self.user, talent)
        return talent

    def field_key(self, model_field):
        return {"phone": "phone", "id_number": "id_number"}.get(model_field)
