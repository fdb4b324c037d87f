"""The area tree in and out of Excel. A row is an area, named by its division code; its parent by the parent's
code. Re-importing updates names, parents and the made-up flag in place (core.treeimports); the levels and the
scope are the services' and the grants' rules. Boundaries have their own import (areas.boundaries)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from lianxin.core.excel import ChoiceReader, Column, Problems, Row, Sheet, parse_bool
from lianxin.core.treeimports import Plan, Ref, TreeImporter
from lianxin.core.trees import TreeError
from lianxin.core.visibility import ensure_created_in_scope, may_at

from . import services
from .models import KIND_ORDER, Area, AreaKind

COLUMNS = [
    Column("code", gettext_lazy("Division code"), "区划代码", aliases=("Code", "代码", "Area code"), required=True,
           width=16, text=True, help=gettext_lazy("Digits; the key of the row: an area with this code is updated, "
                                                  "otherwise a new one is added."), example="370811001"),
    Column("name", pgettext_lazy("of a thing", "Name"), "名称", aliases=("区划名称",), required=True,
           width=20, example="示例街道"),
    Column("kind", pgettext_lazy("area tree", "Level"), "层级", aliases=("Kind", "类别", "级别", "类型"), required=True,
           width=14,
           help=gettext_lazy("City, county, town, community or grid (市, 县区, 镇街, 村社区, 网格). Each level sits "
                             "under the one before it; an area's level cannot be changed."), example="镇街"),
    Column("parent", gettext_lazy("Parent code"), "上级区划代码", aliases=("上级代码",), width=16, text=True,
           help=gettext_lazy("The division code of the area above: one already in your scope, or another row of "
                             "this file. Empty only for a city.")),
    Column("parent_name", gettext_lazy("Parent name"), "上级名称", width=20,
           help=gettext_lazy("For reading only: the import goes by the parent code.")),
    Column("is_demo_code", gettext_lazy("Made-up code"), "虚拟代码", width=10,
           help=gettext_lazy("Yes for a code that is not a real GB/T 2260 division code (demo data); empty: no."),
           example="否"),
]

KIND_WORDS = {
    AreaKind.CITY: ("市", "地级市"),
    AreaKind.COUNTY: ("县", "区", "县区", "区县", "县级市"),
    AreaKind.TOWN: ("镇", "乡", "街道", "镇街", "乡镇", "乡镇街道"),
    AreaKind.COMMUNITY: ("社区", "村", "村社区", "村居", "社区村"),
    AreaKind.GRID: ("网格",),
}


class AreaImporter(TreeImporter):
    columns = COLUMNS
    sheet_title = gettext_lazy("Areas")

    def __init__(self, user):
        super().__init__(user)
        self.kinds = ChoiceReader(AreaKind.choices, KIND_WORDS)
        self.known: dict[str, Area] = {}  # code -> area in scope
        self.changeable: set[int] = set()

    def prepare(self, sheet: Sheet) -> None:
        codes = sorted({r.get(k) for r in sheet.rows for k in ("code", "parent")} - {""})
        visible = Area.objects.visible_to(self.user).select_related("parent").defer("boundary", "parent__boundary")
        changeable = Area.objects.visible_to(self.user, "change")
        for start in range(0, len(codes), 500):
            chunk = codes[start:start + 500]
            self.known.update((a.code, a) for a in visible.filter(code__in=chunk))
            self.changeable.update(changeable.filter(code__in=chunk).values_list("pk", flat=True))

    def plan_row(self, row: Row, problems: Problems) -> Plan:
        code = row.get("code")
        if code:
            try:
                code = services.clean_code(code)
            except ValidationError as e:
                problems.add(row, "code", e)
        node = self.known.get(code) if code else None
        if node is not None and node.pk not in self.changeable:
            problems.add(row, "code", ValidationError(_("You may not change the area %(name)s.") % {"name": node.name}))
        kind = None
        if row.get("kind"):
            try:
                kind = self.kinds.read(row.get("kind"))
            except ValidationError as e:
                problems.add(row, "kind", e)
        if node is not None and kind and kind != node.kind:
            problems.add(row, "kind", ValidationError(
                _("%(name)s is a %(kind)s: an area's level cannot be changed.")
                % {"name": node.name, "kind": node.get_kind_display()}))
        is_demo = node.is_demo_code if node is not None else False
        if "is_demo_code" in self.present:
            try:
                is_demo = parse_bool(row.get("is_demo_code"))
            except ValidationError as e:
                problems.add(row, "is_demo_code", e)
        plan = Plan(row, refs=[("code", code)] if code else [], node=node,
                    fields={"code": code, "name": row.get("name"), "kind": kind, "is_demo_code": is_demo})
        parent_code = row.get("parent")
        if node is not None and ("parent" not in self.present
                                 or parent_code == (node.parent.code if node.parent_id else "")):
            plan.keeps_parent, plan.parent = True, node.parent
        elif parent_code:
            plan.parent_refs = [("code", parent_code)]
        return plan

    def find(self, ref: Ref):
        return self.known.get(ref[1])

    def ref_column(self, ref: Ref, *, parent: bool = False) -> str:
        return "parent" if parent else "code"

    def missing_parent(self, ref: Ref) -> str:
        return _("There is no area with the code “%(code)s” in your scope or in this file.") % {"code": ref[1]}

    def check_place(self, plan: Plan, problems: Problems) -> None:
        kind = plan.fields["kind"]
        if not kind:  # an unknown level: reported on the row already
            return
        if not plan.keeps_parent:
            above = plan.parent_plan.fields["kind"] if plan.parent_plan else getattr(plan.parent, "kind", None)
            if plan.parent_plan is None or above:  # an unknown level above is reported on its own row
                try:
                    services.check_parent_kind(kind, above)
                except TreeError as e:
                    problems.add(plan.row, "parent", ValidationError(str(e)))
        if plan.node is not None and not self.moves(plan):
            return
        anchor = self.anchor(plan)
        action = "add" if plan.node is None else "change"
        if not may_at(self.user, Area, action, area=anchor):
            if anchor is None:
                message = _("You may not add areas at the top of the tree.")
            elif action == "add":
                message = _("You may not add areas under %(area)s.") % {"area": anchor.name}
            else:
                message = _("You may not move areas under %(area)s.") % {"area": anchor.name}
            problems.add(plan.row, "parent", ValidationError(message))

    def write(self, plan: Plan, parent) -> Area:
        f = plan.fields
        if plan.node is None:
            area = services.create_area(actor=self.user, kind=f["kind"], code=f["code"], name=f["name"],
                                        parent=parent, is_demo_code=f["is_demo_code"])
            ensure_created_in_scope(self.user, area)
            return area
        node = plan.node
        changes = {k: f[k] for k in ("name", "is_demo_code") if f[k] != getattr(node, k)}
        if self.moves(plan):
            changes["parent"] = parent
        if not changes:
            return node
        area = services.update_area(node, actor=self.user, **changes)
        ensure_created_in_scope(self.user, area, "change")
        return area

    def example_rows(self) -> list[list]:
        above = next((a for a in Area.objects.visible_to(self.user, "add").exclude(kind=AreaKind.GRID)
                      .defer("boundary").order_by("depth", "code")[:1]), None)
        if above is None:
            return super().example_rows()
        kind = KIND_ORDER[KIND_ORDER.index(above.kind) + 1]
        return [[f"{above.code}999", _("New %(kind)s") % {"kind": AreaKind(kind).label}, AreaKind(kind).label,
                 above.code, above.name, _("No")]]

    def help_rows(self) -> list[list]:
        rows = super().help_rows()
        rows.append([])
        rows.append([str(COLUMNS[2].title), _("Code")])
        rows.extend([[str(label), value] for value, label in AreaKind.choices])
        return rows


def export_rows(areas):
    """The rows of the export, in the columns above: what a re-import reads back unchanged."""
    yes, no = _("Yes"), _("No")
    for a in areas:
        yield [a.code, a.name, a.get_kind_display(), a.parent.code if a.parent_id else "",
               a.parent.name if a.parent_id else "", yes if a.is_demo_code else no]
