"""Firms in and out of Excel: each import row makes the firm (in the org tree, under its industry party committee),
its profile and its first coverage state; every ledger of the app has an export."""


from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.areas.models import Area
from lianxin.core import pii
from lianxin.core.excel import Column, Importer, Problems, Row, parse_bool, parse_date
from lianxin.core.visibility import ensure_created_in_scope, may_at
from lianxin.orgs import services as orgs
from lianxin.orgs.models import PARTY_KINDS, Industry, Org, OrgKind

from . import queries, services
from .models import Coverage, FirmProfile

COLUMNS = [
    Column("name", gettext_lazy("Firm name"), "企业名称", aliases=("名称", "name"), required=True, width=28,
           example="示例快递城东网点"),
    Column("committee", gettext_lazy("Industry party committee"), "行业党委", required=True, width=22,
           help=gettext_lazy("The committee's name or organisation code; the firm is placed under it."),
           example="快递行业党委"),
    Column("area", gettext_lazy("Area code"), "区划代码", aliases=("区划", "area"), required=True, width=14, text=True,
           help=gettext_lazy("The community (or town) where the firm or outlet is.")),
    Column("code", gettext_lazy("Unified social credit code"), "统一社会信用代码", aliases=("信用代码",), width=22,
           text=True),
    Column("industry", gettext_lazy("Industry"), "行业", width=12,
           help=gettext_lazy("Express delivery, food delivery, ride-hailing, freight or other; empty: the "
                             "committee's industry.")),
    Column("brand", gettext_lazy("Platform / brand"), "平台品牌", aliases=("品牌",), width=14),
    Column("is_headquarters", gettext_lazy("Headquarters"), "是否总部", width=10,
           help=gettext_lazy("Yes for a headquarters, no (or empty) for a local branch."), example="否"),
    Column("headquarters", gettext_lazy("Headquarters firm"), "所属总部", width=22,
           help=gettext_lazy("For a branch: the name of its headquarters firm (in the ledger or higher up in "
                             "this file).")),
    Column("workers", gettext_lazy("Workers"), "从业人员数", aliases=("从业人数",), width=10, example="25"),
    Column("formal_members", gettext_lazy("Formal party members"), "正式党员数", width=10, example="3"),
    Column("probationary_members", gettext_lazy("Probationary party members"), "预备党员数", width=10, example="0"),
    Column("contact_name", gettext_lazy("Contact person"), "联系人", width=12),
    Column("contact_phone", gettext_lazy("Contact phone"), "联系电话", aliases=("手机号",), width=15, text=True),
    Column("address", gettext_lazy("Address"), "地址", width=30),
    Column("registered_on", gettext_lazy("In the ledger since"), "纳入台账日期", width=12,
           help=gettext_lazy("A date such as 2025-03-01; empty: today.")),
    Column("coverage", gettext_lazy("Coverage"), "覆盖方式", width=12,
           help=gettext_lazy("Own organisation, joint organisation, town fallback or not covered (单独组建, "
                             "联合组建, 镇街兜底, 未覆盖).")),
    Column("covering_org", gettext_lazy("Covering organisation"), "覆盖党组织", width=26,
           help=gettext_lazy("Own organisation: the name of the firm's branch (created under the firm). Joint: the "
                             "name or code of the joint branch. Town fallback: optional.")),
]

COVERAGE_WORDS = {
    Coverage.OWN: ("own", "own organisation", "单独组建", "单建"),
    Coverage.JOINT: ("joint", "joint organisation", "联合组建", "联建"),
    Coverage.TOWN: ("town", "town fallback", "镇街兜底", "兜底"),
    Coverage.NONE: ("none", "not covered", "未覆盖", "无"),
}
INDUSTRY_WORDS = {
    "express": ("express", "express delivery", "快递"), "food_delivery": ("food delivery", "food_delivery", "外卖"),
    "ride_hailing": ("ride-hailing", "ride_hailing", "网约车"), "freight": ("freight", "货运", "物流"),
    "other": ("other", "其他"),
}


def _lookup(words: dict) -> dict[str, str]:
    out = {}
    for code, names in words.items():
        for n in (code, *names):
            out[n.casefold()] = code
    return out


def parse_count(text: str) -> int:
    if not text:
        return 0
    try:
        value = int(text)
    except ValueError:
        raise ValidationError(_("Write a whole number, 0 or more.")) from None
    if value < 0:
        raise ValidationError(_("Write a whole number, 0 or more."))
    return value


class FirmImporter(Importer):
    columns = COLUMNS
    sheet_title = gettext_lazy("Firms")

    def __init__(self, user):
        super().__init__(user)
        self.areas = Area.objects.visible_to(user, "view")
        self.orgs = Org.objects.visible_to(user, "view")
        self.firms = FirmProfile.objects.visible_to(user, "view")
        self.coverage_words = _lookup(COVERAGE_WORDS)
        self.industry_words = _lookup(INDUSTRY_WORDS)
        self.plan: dict[int, dict] = {}
        self.names: dict[str, int] = {}
        self.hq_rows: set[str] = set()

    def _org(self, text: str, kinds) -> Org | None:
        return self.orgs.filter(Q(code=text) | Q(name=text) | Q(short_name=text), kind__in=kinds,
                                is_active=True).order_by("path").first()

    def check_row(self, row: Row, problems: Problems) -> None:
        f: dict = {"name": row.get("name")[:120]}
        first = self.names.setdefault(f["name"], row.number)
        if f["name"] and first != row.number:
            problems.add(row, "name", ValidationError(_("The same firm is already in row %(row)d of this file.")
                                                      % {"row": first}))
        committee = self._org(row.get("committee"), [OrgKind.INDUSTRY_COMMITTEE]) if row.get("committee") else None
        if row.get("committee") and committee is None:
            problems.add(row, "committee", ValidationError(
                _("There is no industry party committee “%(c)s” in your scope.") % {"c": row.get("committee")}))
        f["committee"] = committee
        code = row.get("area")
        area = self.areas.filter(code=code).first() if code else None
        if code and area is None and committee is not None:
            # An org grant reaches the committee's firms, not areas: look the code up below the committee's area.
            area = queries.area_below(committee, code)
        if code and area is None:
            problems.add(row, "area", ValidationError(
                _("There is no area with the code “%(code)s” in your scope.") % {"code": code}))
        if area is not None and committee is not None and not may_at(self.user, FirmProfile, "add", area=area,
                                                                       org=committee):
            problems.add(row, "area", ValidationError(_("You may not add firms in %(area)s under %(c)s.")
                                                      % {"area": area.name, "c": committee.name}))
        f["area"] = area
        if committee is not None and f["name"] and committee.children.filter(kind=OrgKind.FIRM,
                                                                             name=f["name"]).exists():
            problems.add(row, "name", ValidationError(_("“%(name)s” is already under %(c)s.")
                                                      % {"name": f["name"], "c": committee.name}))
        f["code"] = row.get("code")[:40]
        if f["code"] and Org.objects.visible_to(self.user).filter(code=f["code"]).exists():
            problems.add(row, "code", ValidationError(_("An organisation with this code already exists.")))
        industry = ""
        if row.get("industry"):
            industry = self.industry_words.get(row.get("industry").casefold(), "")
            if not industry:
                problems.add(row, "industry", ValidationError(_("Unknown industry “%(v)s”.")
                                                              % {"v": row.get("industry")}))
        f["industry"] = industry or (committee.industry if committee else "") or ""
        if f["industry"] and f["industry"] not in Industry.values:
            f["industry"] = "other"
        f["brand"] = row.get("brand")[:60]
        try:
            f["is_headquarters"] = parse_bool(row.get("is_headquarters"))
        except ValidationError as e:
            problems.add(row, "is_headquarters", e)
            f["is_headquarters"] = False
        if f["is_headquarters"]:
            self.hq_rows.add(f["name"])
        f["headquarters"] = None
        hq = row.get("headquarters")
        if hq:
            if f["is_headquarters"]:
                problems.add(row, "headquarters", ValidationError(_("A headquarters has no headquarters firm.")))
            elif hq in self.hq_rows:
                f["headquarters"] = hq  # made by an earlier row; looked up when saving
            else:
                found = self.firms.filter(org__name=hq, is_headquarters=True).first()
                if found is None:
                    problems.add(row, "headquarters", ValidationError(
                        _("There is no headquarters firm “%(name)s” in the ledger or higher up in this file.")
                        % {"name": hq}))
                f["headquarters"] = found
        for key in ("workers", "formal_members", "probationary_members"):
            try:
                f[key] = parse_count(row.get(key))
            except ValidationError as e:
                problems.add(row, key, e)
        f["contact_name"] = row.get("contact_name")[:40]
        f["contact_phone"] = ""
        if row.get("contact_phone"):
            try:
                f["contact_phone"] = pii.validate_mobile(row.get("contact_phone"))
            except ValidationError as e:
                problems.add(row, "contact_phone", e)
        f["address"] = row.get("address")[:200]
        try:
            f["registered_on"] = parse_date(row, "registered_on")
        except ValidationError as e:
            problems.add(row, "registered_on", e)
        coverage = Coverage.NONE
        if row.get("coverage"):
            coverage = self.coverage_words.get(row.get("coverage").casefold())
            if coverage is None:
                problems.add(row, "coverage", ValidationError(_("Unknown coverage “%(v)s”.")
                                                              % {"v": row.get("coverage")}))
                coverage = Coverage.NONE
        f["coverage"], f["covering_org"], f["new_branch"] = coverage, None, ""
        covering = row.get("covering_org")
        if coverage == Coverage.OWN:
            if not covering:
                problems.add(row, "covering_org", ValidationError(_("Give the name of the firm's own branch.")))
            if f.get("formal_members", 0) < services.OWN_BRANCH_MIN:
                problems.add(row, "formal_members", ValidationError(
                    _("A party branch of its own needs at least %(min)d formal members.")
                    % {"min": services.OWN_BRANCH_MIN}))
            f["new_branch"] = covering[:120]
        elif coverage == Coverage.JOINT:
            org = self._org(covering, PARTY_KINDS) if covering else None
            if org is None:
                problems.add(row, "covering_org", ValidationError(
                    _("Give the joint branch's name or code as it is in the organisation tree.")))
            f["covering_org"] = org
        elif coverage == Coverage.TOWN and covering:
            org = self._org(covering, PARTY_KINDS)
            if org is None:
                problems.add(row, "covering_org", ValidationError(
                    _("There is no party organisation “%(v)s” in your scope.") % {"v": covering}))
            f["covering_org"] = org
        elif coverage == Coverage.NONE and covering:
            problems.add(row, "covering_org", ValidationError(_("An uncovered firm has no covering organisation.")))
        self.plan[row.number] = f

    def save_row(self, row: Row) -> FirmProfile:
        f = dict(self.plan[row.number])
        if isinstance(f["headquarters"], str):
            f["headquarters"] = FirmProfile.objects.visible_to(self.user).filter(
                org__name=f["headquarters"], is_headquarters=True).first()
        coverage, covering, new_branch = f.pop("coverage"), f.pop("covering_org"), f.pop("new_branch")
        if f.get("registered_on") is None:
            f.pop("registered_on", None)
        initial = Coverage.NONE if coverage == Coverage.OWN else coverage
        firm = services.create_firm(actor=self.user, coverage=initial, covering_org=covering, **f)
        if coverage == Coverage.OWN:
            branch = orgs.create_org(actor=self.user, parent=firm.org, kind=OrgKind.BRANCH, name=new_branch,
                                     area=firm.org.area, industry=firm.org.industry)
            services.change_coverage(firm, actor=self.user, after=Coverage.OWN, covering_org=branch,
                                     on=firm.registered_on, note=_("Imported"))
        ensure_created_in_scope(self.user, firm)
        return firm

    def field_key(self, model_field):
        return model_field if model_field in {c.key for c in COLUMNS} else None


EXPORT_COLUMNS = [
    Column("name", gettext_lazy("Firm name"), "企业名称", width=28),
    Column("committee", gettext_lazy("Industry party committee"), "行业党委", width=22),
    Column("area", gettext_lazy("Area code"), "区划代码", width=14, text=True),
    Column("area_name", gettext_lazy("Area"), "区划", width=16),
    Column("code", gettext_lazy("Unified social credit code"), "统一社会信用代码", width=22, text=True),
    Column("industry", gettext_lazy("Industry"), "行业", width=12),
    Column("brand", gettext_lazy("Platform / brand"), "平台品牌", width=14),
    Column("is_headquarters", gettext_lazy("Headquarters"), "是否总部", width=10),
    Column("headquarters", gettext_lazy("Headquarters firm"), "所属总部", width=22),
    Column("workers", gettext_lazy("Workers"), "从业人员数", width=10),
    Column("formal_members", gettext_lazy("Formal party members"), "正式党员数", width=10),
    Column("probationary_members", gettext_lazy("Probationary party members"), "预备党员数", width=10),
    Column("contact_name", gettext_lazy("Contact person"), "联系人", width=12),
    Column("contact_phone", gettext_lazy("Contact phone"), "联系电话", width=15, text=True),
    Column("address", gettext_lazy("Address"), "地址", width=30),
    Column("registered_on", gettext_lazy("In the ledger since"), "纳入台账日期", width=12),
    Column("coverage", gettext_lazy("Coverage"), "覆盖方式", width=12),
    Column("covering_org", gettext_lazy("Covering organisation"), "覆盖党组织", width=26),
    Column("meets_rule", gettext_lazy("Meets the rule"), "是否达标", width=10),
    Column("instructor", gettext_lazy("Instructor"), "党建工作指导员", width=14),
]


def export_rows(firms):
    """Rows of the firm export. Numbers are masked: an export leaves the system (core.pii)."""
    for f in firms:
        current = [a for a in f.assignments.all() if a.ended_on is None]
        instructor = current[0].instructor if current else None
        yield [
            f.org.name, f.committee.name if f.committee_id else "", f.org.area.code, f.org.area.name,
            f.org.code or "", f.org.get_industry_display(), f.brand, _("Yes") if f.is_headquarters else _("No"),
            f.headquarters.name if f.headquarters_id else "", f.workers, f.formal_members, f.probationary_members,
            f.contact_name, f.contact_phone_masked, f.address, f.registered_on, f.get_coverage_display(),
            f.covering_org.name if f.covering_org_id else "",
            _("Yes") if services.meets_rule(f.coverage, f.formal_members, instructor is not None) else _("No"),
            instructor.display_name if instructor else "",
        ]
