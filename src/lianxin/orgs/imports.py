"""The organisation tree in and out of Excel. Few organisations have a code, so a row names its organisation by
the ID the export writes (its number in Lianxin) or else by its code; its parent likewise by the parent's ID or
code. Re-importing updates in place (core.treeimports); where an organisation may sit is the grants' rule, and
a column the file leaves out leaves that field as it is."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from lianxin.areas.models import Area
from lianxin.core.excel import ChoiceReader, Column, Problems, Row, Sheet, parse_bool
from lianxin.core.treeimports import Plan, Ref, TreeImporter
from lianxin.core.visibility import ensure_created_in_scope, may_at

from . import services
from .models import Industry, Org, OrgKind

COLUMNS = [
    Column("id", gettext_lazy("ID"), "编号", aliases=("系统编号",), width=8,
           help=gettext_lazy("The organisation's number in Lianxin, as the export writes it: the row updates that "
                             "organisation. Empty for a new one.")),
    Column("code", gettext_lazy("Code"), "代码", aliases=("Org code", "组织代码", "统一社会信用代码", "信用代码"),
           width=22, text=True,
           help=gettext_lazy("Unified social credit code or internal code; optional. A row without ID updates the "
                             "organisation with this code, if there is one.")),
    Column("name", pgettext_lazy("of a thing", "Name"), "名称", aliases=("组织名称",), required=True,
           width=28, example="示例社区党支部"),
    Column("short_name", gettext_lazy("Short name"), "简称", width=14),
    Column("kind", gettext_lazy("Kind"), "类别", aliases=("组织类别", "类型", "组织类型"), required=True, width=18,
           help=gettext_lazy("Party committee, party branch, firm, … (the list is on the help sheet)."),
           example="党支部"),
    Column("parent_id", gettext_lazy("Parent ID"), "上级编号", width=10,
           help=gettext_lazy("The ID of the organisation above, as the export writes it.")),
    Column("parent_code", gettext_lazy("Parent code"), "上级代码", aliases=("上级组织代码",), width=22, text=True,
           help=gettext_lazy("Or the code of the organisation above: one in your scope, or another row of this "
                             "file. Both empty: at the top.")),
    Column("parent_name", gettext_lazy("Parent organisation"), "上级组织", width=28,
           help=gettext_lazy("For reading only: the import goes by the parent's ID or code.")),
    Column("area", gettext_lazy("Area code"), "区划代码", aliases=("区划",), required=True, width=14,
           text=True, help=gettext_lazy("The division code of the area where the organisation sits.")),
    Column("area_name", gettext_lazy("Area name"), "区域名称", width=16,
           help=gettext_lazy("For reading only: the import goes by the area code.")),
    Column("industry", gettext_lazy("Industry"), "行业", width=14,
           help=gettext_lazy("Express delivery, food delivery, ride-hailing, freight, other, or empty.")),
    Column("is_active", gettext_lazy("Active"), "启用", aliases=("是否启用", "有效"), width=8,
           help=gettext_lazy("Yes or no; empty: yes."), example="是"),
]

KIND_WORDS = {
    OrgKind.PARTY_COMMITTEE: ("党委",), OrgKind.WORKING_COMMITTEE: ("工委",),
    OrgKind.INDUSTRY_COMMITTEE: ("行业党委",), OrgKind.GENERAL_BRANCH: ("党总支",),
    OrgKind.BRANCH: ("党支部", "支部"), OrgKind.TEMPORARY_BRANCH: ("临时党支部",),
    OrgKind.DEPARTMENT: ("部门", "单位"), OrgKind.FIRM: ("企业",), OrgKind.SOCIAL_ORG: ("社会组织",),
}
INDUSTRY_WORDS = {
    Industry.EXPRESS: ("快递",), Industry.FOOD_DELIVERY: ("外卖",), Industry.RIDE_HAILING: ("网约车",),
    Industry.FREIGHT: ("货运", "物流"), Industry.OTHER: ("其他",),
}
FIELDS = ("kind", "name", "short_name", "code", "area", "industry", "is_active")


class OrgImporter(TreeImporter):
    columns = COLUMNS
    parent_column = "parent_id"
    sheet_title = gettext_lazy("Organisations")

    def __init__(self, user):
        super().__init__(user)
        self.kinds = ChoiceReader(OrgKind.choices, KIND_WORDS)
        self.industries = ChoiceReader(Industry.choices, INDUSTRY_WORDS)
        self.by_id: dict[int, Org] = {}
        self.by_code: dict[str, Org] = {}
        self.areas: dict[str, Area] = {}
        self.changeable: set[int] = set()

    def prepare(self, sheet: Sheet) -> None:
        ids = sorted({int(v) for r in sheet.rows for k in ("id", "parent_id") if (v := r.get(k)).isdigit()})
        codes = sorted({r.get(k) for r in sheet.rows for k in ("code", "parent_code")} - {""})
        area_codes = sorted({r.get("area") for r in sheet.rows} - {""})
        visible = Org.objects.visible_to(self.user).select_related("parent", "area").defer("area__boundary")
        changeable = Org.objects.visible_to(self.user, "change")
        for start in range(0, max(len(ids), len(codes), len(area_codes)), 500):
            id_chunk, code_chunk = ids[start:start + 500], codes[start:start + 500]
            for org in visible.filter(pk__in=id_chunk):
                self.by_id[org.pk] = org
            for org in visible.filter(code__in=code_chunk):
                self.by_code[org.code] = org
                self.by_id.setdefault(org.pk, org)
            self.changeable.update(changeable.filter(pk__in=id_chunk).values_list("pk", flat=True))
            self.changeable.update(changeable.filter(code__in=code_chunk).values_list("pk", flat=True))
            self.areas.update((a.code, a) for a in Area.objects.visible_to(self.user).defer("boundary")
                              .filter(code__in=area_codes[start:start + 500]))

    def _node(self, row: Row, problems: Problems) -> Org | None:
        text, node = row.get("id"), None
        if text:
            node = self.by_id.get(int(text)) if text.isdigit() else None
            if node is None:
                problems.add(row, "id", ValidationError(
                    _("There is no organisation with the ID %(id)s in your scope.") % {"id": text}))
        elif row.get("code"):
            node = self.by_code.get(row.get("code"))
        if node is not None and node.pk not in self.changeable:
            problems.add(row, None, ValidationError(
                _("You may not change the organisation %(name)s.") % {"name": node.name}))
        return node

    def _fields(self, row: Row, problems: Problems, node: Org | None) -> dict:
        f = {k: getattr(node, k) for k in FIELDS} if node is not None else {
            "short_name": "", "code": None, "area": None, "industry": "", "is_active": True}
        f["name"], f["kind"] = row.get("name"), None
        if row.get("kind"):
            try:
                f["kind"] = self.kinds.read(row.get("kind"))
            except ValidationError as e:
                problems.add(row, "kind", e)
        for key in ("short_name", "code"):
            if key in self.present:
                f[key] = row.get(key)
        f["code"] = f["code"] or None
        if "industry" in self.present:
            try:
                f["industry"] = self.industries.read(row.get("industry")) if row.get("industry") else ""
            except ValidationError as e:
                problems.add(row, "industry", e)
        if "is_active" in self.present:
            try:
                f["is_active"] = parse_bool(row.get("is_active")) if row.get("is_active") else True
            except ValidationError as e:
                problems.add(row, "is_active", e)
        code = row.get("area")
        if code and not (node is not None and node.area.code == code):
            f["area"] = self.areas.get(code)
            if f["area"] is None:  # hidden and missing look the same
                problems.add(row, "area", ValidationError(
                    _("There is no area with the code “%(code)s” in your scope.") % {"code": code}))
        return f

    def plan_row(self, row: Row, problems: Problems) -> Plan:
        node = self._node(row, problems)
        plan = Plan(row, refs=[], node=node, fields=self._fields(row, problems, node))
        if node is not None:
            plan.refs.append(("id", str(node.pk)))
        if plan.fields["code"]:
            plan.refs.append(("code", plan.fields["code"]))
        pid, pcode = row.get("parent_id"), row.get("parent_code")
        if node is not None:
            current = node.parent
            if not {"parent_id", "parent_code"} & self.present or (
                    current is None and not pid and not pcode) or (
                    current is not None and (pid or pcode) and pid in ("", str(current.pk))
                    and pcode in ("", current.code or "")):
                plan.keeps_parent, plan.parent = True, current
                return plan
        plan.parent_refs = [ref for ref in (("id", pid), ("code", pcode)) if ref[1]]
        return plan

    def find(self, ref: Ref):
        kind, value = ref
        if kind == "id":
            return self.by_id.get(int(value)) if value.isdigit() else None
        return self.by_code.get(value)

    def ref_column(self, ref: Ref, *, parent: bool = False) -> str:
        return f"parent_{ref[0]}" if parent else ref[0]

    def missing_parent(self, ref: Ref) -> str:
        if ref[0] == "id":
            return _("There is no organisation with the ID %(id)s in your scope.") % {"id": ref[1]}
        return _("There is no organisation with the code “%(code)s” in your scope or in this file.") % {
            "code": ref[1]}

    def check_place(self, plan: Plan, problems: Problems) -> None:
        area = plan.fields["area"]
        moved = self.moves(plan)
        if area is None or plan.node is not None and not moved and area == plan.node.area:
            return
        anchor = self.anchor(plan)
        action = "add" if plan.node is None else "change"
        if not may_at(self.user, Org, action, area=area, org=anchor if moved or plan.node is None else plan.node):
            problems.add(plan.row, "area", ValidationError(
                _("You may not place organisations in %(area)s under %(parent)s.")
                % {"area": area.name, "parent": anchor.name if anchor is not None else "—"}))

    def write(self, plan: Plan, parent) -> Org:
        f = plan.fields
        if plan.node is None:
            org = services.create_org(actor=self.user, parent=parent, **f)
            ensure_created_in_scope(self.user, org)
            return org
        node = plan.node
        changes = {k: v for k, v in f.items() if v != getattr(node, k)}
        if self.moves(plan):
            changes["parent"] = parent
        if not changes:
            return node
        org = services.update_org(node, actor=self.user, **changes)
        ensure_created_in_scope(self.user, org, "change")
        return org

    def example_rows(self) -> list[list]:
        area = next(iter(Area.objects.visible_to(self.user).defer("boundary").order_by("-depth", "path")[:1]), None)
        return [[c.example if c.key != "area" or area is None else area.code for c in self.columns]]

    def help_rows(self) -> list[list]:
        rows = super().help_rows()
        for title, choices in ((COLUMNS[4].title, OrgKind.choices), (COLUMNS[10].title, Industry.choices)):
            rows.append([])
            rows.append([str(title), _("Code")])
            rows.extend([[str(label), value] for value, label in choices])
        return rows


def export_rows(orgs):
    """The rows of the export, in the columns above: what a re-import reads back unchanged."""
    yes, no = _("Yes"), _("No")
    for o in orgs:
        parent = o.parent if o.parent_id else None
        yield [o.pk, o.code or "", o.name, o.short_name, o.get_kind_display(),
               parent.pk if parent else "", (parent.code or "") if parent else "", parent.name if parent else "",
               o.area.code, o.area.name, o.get_industry_display() if o.industry else "", yes if o.is_active else no]
