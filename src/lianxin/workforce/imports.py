"""Workers in from Excel (all or nothing, each bad row with its reason) and every ledger out."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.areas.models import Area, AreaKind
from lianxin.core import pii
from lianxin.core.excel import Column, Importer, Problems, Row, parse_bool, split_list
from lianxin.core.visibility import ensure_created_in_scope, may_at
from lianxin.orgs.models import Org, OrgKind
from lianxin.people import services as people
from lianxin.people.kinds import PERSON_KINDS
from lianxin.people.models import Person

from . import services
from .models import WORKER_KINDS, Worker
from .queries import community_by_code

KIND_WORDS = {
    "rider": ("rider", "food-delivery rider", "外卖员", "外卖骑手", "骑手"),
    "courier": ("courier", "快递员", "快递小哥"),
    "ride_hailing_driver": ("ride-hailing driver", "网约车司机", "网约车"),
    "truck_driver": ("truck driver", "货车司机", "货运司机"),
}
ROLE_WORDS = {
    "collector": ("problem collector", "collector", "问题收集员", "移动探头"),
    "promoter": ("policy promoter", "promoter", "政策宣讲员", "宣讲员"),
}

COLUMNS = [
    Column("name", gettext_lazy("Name"), "姓名", required=True, width=12, example="张三"),
    Column("phone", gettext_lazy("Mobile"), "手机号", aliases=("手机", "phone"), required=True, width=15, text=True,
           example="13800138000", help=gettext_lazy("Riders sign in with it; also finds a person already known.")),
    Column("id_number", gettext_lazy("ID number"), "身份证号", aliases=("身份证",), width=21, text=True),
    Column("kind", gettext_lazy("Occupation"), "职业", aliases=("类别", "kind"), required=True, width=14,
           example="外卖骑手", help=gettext_lazy("Rider, courier, ride-hailing driver or truck driver.")),
    Column("firm", gettext_lazy("Platform firm"), "所属平台企业", aliases=("企业", "平台", "firm"), required=True,
           width=22, help=gettext_lazy("The firm's code or exact name.")),
    Column("branch", gettext_lazy("Branch / station"), "站点", aliases=("网点",), width=16),
    Column("community", gettext_lazy("Residence community code"), "居住社区代码", aliases=("社区代码", "社区"),
           required=True, width=14, text=True, help=gettext_lazy("Code (or exact name) of the community.")),
    Column("party", gettext_lazy("Party member"), "党员", aliases=("是否党员",), width=8, example="否",
           help=gettext_lazy("Yes or no (是 or 否).")),
    Column("roles", gettext_lazy("Roles"), "角色", width=24, example="问题收集员",
           help=gettext_lazy("Any of: problem collector, policy promoter; separated by commas.")),
    Column("grid", gettext_lazy("Part-time grid worker of grid"), "兼职网格员所在网格", aliases=("网格代码", "网格"),
           width=16, text=True, help=gettext_lazy("Optional: code of the grid they serve as part-time grid worker.")),
]


def _lookup(words: dict) -> dict:
    out = {}
    for code, names in words.items():
        out[code.casefold()] = code
        for n in names:
            out[n.casefold()] = code
    return out


class WorkerImporter(Importer):
    columns = COLUMNS
    sheet_title = gettext_lazy("Workers")

    def __init__(self, user):
        super().__init__(user)
        self.areas = Area.objects.visible_to(user)
        self.orgs = Org.objects.visible_to(user)
        self.kinds = _lookup(KIND_WORDS)
        for code in WORKER_KINDS:
            self.kinds[str(PERSON_KINDS[code]).casefold()] = code
        self.roles = _lookup(ROLE_WORDS)
        self.plan: dict[int, dict] = {}
        self.seen: dict[tuple[str, str], int] = {}

    def _area(self, text: str, kinds):
        qs = self.areas.filter(kind__in=kinds)
        return qs.filter(code=text).first() or qs.filter(name=text).first()

    def check_row(self, row: Row, problems: Problems) -> None:
        f = {"name": row.get("name")[:60]}
        for key, validate in (("phone", pii.validate_mobile), ("id_number", pii.validate_id_number)):
            f[key] = None
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
        f["kind"] = self.kinds.get(row.get("kind").casefold()) if row.get("kind") else None
        if row.get("kind") and f["kind"] is None:
            problems.add(row, "kind", ValidationError(
                _("Unknown occupation “%(k)s”: write rider, courier, ride-hailing driver or truck driver.")
                % {"k": row.get("kind")}))
        firm_text = row.get("firm")
        firms = self.orgs.filter(kind=OrgKind.FIRM)
        f["firm"] = (firms.filter(code=firm_text).first() or firms.filter(name=firm_text).first()) if firm_text \
            else None
        if firm_text and f["firm"] is None:
            problems.add(row, "firm", ValidationError(
                _("There is no firm “%(t)s” in your scope.") % {"t": firm_text}))
        f["branch"], f["branch_name"] = None, row.get("branch")[:80]
        if f["firm"] is not None and f["branch_name"]:
            below = self.orgs.filter(path__startswith=f["firm"].path).exclude(pk=f["firm"].pk)
            f["branch"] = below.filter(name=f["branch_name"]).first() or below.filter(code=f["branch_name"]).first()
            if f["branch"] is not None:
                f["branch_name"] = ""
        code = row.get("community")
        f["area"] = community_by_code(code) if code else None
        if code and f["area"] is None:
            problems.add(row, "community", ValidationError(
                _("There is no community “%(code)s”.") % {"code": code}))
        elif f["area"] is not None and not (may_at(self.user, Worker, "add", area=f["area"])
                                            or may_at(self.user, Worker, "add", org=f["firm"])):
            problems.add(row, "community", ValidationError(
                _("You may not add workers in %(area)s.") % {"area": f["area"].name}))
        try:
            f["party"] = parse_bool(row.get("party"))
        except ValidationError as e:
            problems.add(row, "party", e)
        f["is_collector"] = f["is_promoter"] = False
        unknown = []
        for word in split_list(row.get("roles")):
            role = self.roles.get(word.casefold())
            if role:
                f[f"is_{role}"] = True
            else:
                unknown.append(word)
        if unknown:
            problems.add(row, "roles", ValidationError(_("Unknown role(s): %(k)s") % {"k": ", ".join(unknown)}))
        f["grid"] = None
        if row.get("grid"):
            f["grid"] = self._area(row.get("grid"), (AreaKind.GRID,))
            if f["grid"] is None:
                problems.add(row, "grid", ValidationError(
                    _("There is no grid “%(code)s” in your scope.") % {"code": row.get("grid")}))
            elif f["area"] is not None and f["grid"].parent_id != f["area"].pk:
                problems.add(row, "grid", ValidationError(_("The grid is not in the residence community.")))
        existing = self._existing(f)
        if existing is not None and Worker.objects.visible_to(self.user).filter(person=existing).exists():
            problems.add(row, None, ValidationError(_("%(name)s already has a worker profile.")
                                                    % {"name": existing.name}))
        f["person"] = existing
        self.plan[row.number] = f

    def _existing(self, f) -> Person | None:
        qs = Person.objects.visible_to(self.user)
        if f.get("id_number"):
            found = qs.filter(id_number=f["id_number"]).first()
            if found:
                return found
        return qs.filter(phone=f["phone"]).first() if f.get("phone") else None

    def save_row(self, row: Row) -> Worker:
        f = self.plan[row.number]
        person = f["person"]
        if person is None:
            person = people.create_person(actor=self.user, name=f["name"], area=f["area"], kinds=[f["kind"]],
                                          phone=f["phone"], id_number=f["id_number"], org=f["firm"],
                                          is_party_member=f["party"])
        else:
            kinds = set(person.kind_codes) | {f["kind"]}
            person = people.update_person(person, actor=self.user, kinds=sorted(kinds),
                                          is_party_member=f["party"] or person.is_party_member)
        worker = services.create_worker(actor=self.user, person=person, org=f["firm"], area=f["area"],
                                        branch=f["branch"], branch_name=f["branch_name"],
                                        is_collector=f["is_collector"], is_promoter=f["is_promoter"])
        ensure_created_in_scope(self.user, worker)
        if f["grid"] is not None:
            services.link_grid(worker, actor=self.user, grid=f["grid"])
        return worker

    def field_key(self, model_field):
        return {"phone": "phone", "id_number": "id_number", "area": "community", "org": "firm",
                "grid": "grid"}.get(model_field)


# ---------------------------------------------------------------- exports

WORKER_EXPORT = [
    Column("name", gettext_lazy("Name"), "姓名", width=12),
    Column("phone", gettext_lazy("Mobile"), "手机号", width=15, text=True),
    Column("kind", gettext_lazy("Occupation"), "职业", width=14),
    Column("firm", gettext_lazy("Platform firm"), "所属平台企业", width=22),
    Column("branch", gettext_lazy("Branch / station"), "站点", width=16),
    Column("community", gettext_lazy("Residence community"), "居住社区", width=16),
    Column("community_code", gettext_lazy("Residence community code"), "居住社区代码", width=14, text=True),
    Column("party", gettext_lazy("Party member"), "党员", width=8),
    Column("grid", gettext_lazy("Part-time grid worker of grid"), "兼职网格员所在网格", width=16),
    Column("collector", gettext_lazy("Problem collector"), "问题收集员", width=10),
    Column("promoter", gettext_lazy("Policy promoter"), "政策宣讲员", width=10),
    Column("joined_on", gettext_lazy("Registered on"), "登记日期", width=12),
]


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


def worker_rows(workers):
    for w in workers:
        link = next((link for link in w.grid_links.all() if link.ended_at is None), None)
        kinds = [str(PERSON_KINDS[t.kind]) for t in w.person.tags.all() if t.kind in WORKER_KINDS]
        yield [w.person.name, w.person.phone_masked, "、".join(kinds), w.org.name, w.station, w.area.name,
               w.area.code, _yes(w.person.is_party_member), link.grid.name if link else "", _yes(w.is_collector),
               _yes(w.is_promoter), w.joined_on or ""]


REGISTRATION_EXPORT = [
    Column("kind", gettext_lazy("Kind"), "类别", width=24),
    Column("name", gettext_lazy("Name"), "名称", width=22),
    Column("unit", gettext_lazy("Unit"), "单位", width=22),
    Column("community", gettext_lazy("Community"), "社区", width=16),
    Column("registered_on", gettext_lazy("Registered on"), "报到日期", width=12),
    Column("status", gettext_lazy("Status"), "状态", width=10),
    Column("ended_on", gettext_lazy("Ended on"), "结束日期", width=12),
    Column("services", gettext_lazy("Services taken on"), "认领服务", width=40),
    Column("orders", gettext_lazy("Service requests taken"), "接单数", width=10),
]


def registration_rows(regs):
    for r in regs:
        yield [r.get_kind_display(), r.name, r.org.name if r.org_id else "", r.area.name, r.registered_on,
               r.get_status_display(), r.ended_on or "", "\n".join(r.service_lines), r.taken]


SERVICE_EXPORT = [
    Column("number", gettext_lazy("Case number"), "编号", width=20, text=True),
    Column("title", gettext_lazy("Need"), "需求", width=30),
    Column("category", gettext_lazy("Kind of need"), "类别", width=16),
    Column("community", gettext_lazy("Community"), "社区", width=16),
    Column("stage", gettext_lazy("Stage"), "环节", width=10),
    Column("taken_by", gettext_lazy("Taken by"), "接单人/单位", width=20),
    Column("posted", gettext_lazy("Posted"), "点单时间", width=18),
    Column("closed", gettext_lazy("Closed"), "办结时间", width=18),
]


def service_rows(cases):
    for c in cases:
        order = getattr(c, "dr_order", None)
        yield [c.number, c.title, c.category.label, c.area.name, c.get_stage_display(),
               order.registration.name if order else "", c.created_at, c.closed_at or ""]


COMMITTEE_EXPORT = [
    Column("community", gettext_lazy("Community"), "社区", width=16),
    Column("unit", gettext_lazy("Member unit"), "成员单位", width=24),
    Column("post", gettext_lazy("Post"), "职务", width=12),
    Column("representative", gettext_lazy("Representative"), "代表", width=12),
    Column("from_on", gettext_lazy("From"), "起", width=12),
    Column("to_on", gettext_lazy("To"), "止", width=12),
]


def committee_rows(members):
    for m in members:
        yield [m.area.name, m.org.name, m.post, m.representative, m.from_on, m.to_on or ""]


CAMPAIGN_EXPORT = [
    Column("title", gettext_lazy("Title"), "标题", width=24),
    Column("theme", gettext_lazy("Theme"), "主题", width=20),
    Column("area", gettext_lazy("Area"), "区域", width=16),
    Column("starts_on", gettext_lazy("Starts on"), "开始", width=12),
    Column("ends_on", gettext_lazy("Ends on"), "结束", width=12),
    Column("team", gettext_lazy("Team size"), "宣讲员人数", width=10),
    Column("rounds", gettext_lazy("Delivery rounds"), "投递次数", width=10),
    Column("households", gettext_lazy("Households reached"), "覆盖户数", width=10),
    Column("flyers", gettext_lazy("Flyers delivered with parcels"), "随件投递宣传单", width=12),
]


def campaign_rows(campaigns):
    for c in campaigns:
        yield [c.title, c.theme, c.area.name, c.starts_on, c.ends_on, c.team, c.rounds, c.households or 0,
               c.flyers or 0]


DELIVERY_EXPORT = [
    Column("campaign", gettext_lazy("Campaign"), "宣讲活动", width=24),
    Column("date", gettext_lazy("Date"), "日期", width=12),
    Column("worker", gettext_lazy("Worker"), "宣讲员", width=12),
    Column("area", gettext_lazy("Area"), "区域", width=16),
    Column("households", gettext_lazy("Households reached"), "覆盖户数", width=10),
    Column("flyers", gettext_lazy("Flyers delivered with parcels"), "随件投递宣传单", width=12),
    Column("notes", gettext_lazy("Notes"), "备注", width=30),
]


def delivery_rows(deliveries):
    for d in deliveries:
        yield [d.campaign.title, d.done_on, d.worker.person.name, d.area.name, d.households, d.flyers, d.notes]


LEADERBOARD_EXPORT = [
    Column("rank", gettext_lazy("Rank"), "名次", width=6),
    Column("name", gettext_lazy("Worker"), "收集员", width=14),
    Column("firm", gettext_lazy("Platform firm"), "所属平台企业", width=22),
    Column("reported", gettext_lazy("Reported"), "上报", width=8),
    Column("accepted", gettext_lazy("Accepted"), "受理", width=8),
    Column("handled", gettext_lazy("Handled"), "办结", width=8),
]
