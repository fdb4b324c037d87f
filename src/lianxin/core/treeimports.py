"""Excel imports of a tree (the areas, the organisations), on top of ``core.excel.Importer``.

A row names its node by one or more references (an area by its code; an organisation by its ID or code) and
its parent by the parent's references. A row that finds an existing node updates it in place: nodes are never
deleted or made again, so every record anchored at one (cases, people, organisations) keeps its anchor. A row
that finds none makes a new node. A parent is an existing node in the importer's scope or another row of the
file, above or below: rows are saved parents first. Before anything is saved, the rows are checked against
each other: a reference twice in the file, a parent neither in the file nor in scope, and a loop, through the
file and the tree as it stands (a node moved under its own descendant).

The tree's importer says how a row reads (``plan_row``), how a reference is looked up (``find``), what a
placement must obey (``check_place``: levels, scope) and how a row is written (``write``, through the services).
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .excel import Importer, Problems, Row, Sheet
from .trees import TreeError

Ref = tuple[str, str]  # ("code", "370801"), ("id", "12")


@dataclass(eq=False)
class Plan:
    """What one row will do."""

    row: Row
    refs: list[Ref]  # how other rows may name this row's node
    node: Any = None  # the existing node the row updates; None: a new one
    parent_refs: list[Ref] = field(default_factory=list)  # empty: at the top (unless keeps_parent)
    keeps_parent: bool = False  # an existing node the row leaves under its parent
    fields: dict = field(default_factory=dict)
    parent: Any = None  # the parent, an existing node (None: at the top, or a row of the file)
    parent_plan: "Plan | None" = None  # the parent, a row of the file
    unresolved: bool = False  # the parent could not be found

    @property
    def number(self) -> int:
        return self.row.number


def ancestor_ids(node) -> list[int]:
    """The ids on a node's materialised path above it, top first."""
    return [int(x) for x in node.path.strip("/").split("/") if x][:-1]


class TreeImporter(Importer):
    """The shared part of a tree's import; see the module's docstring."""

    parent_column = "parent"  # where a problem with the parent as a whole goes

    def __init__(self, user):
        super().__init__(user)
        self.plans: dict[int, Plan] = {}  # row number -> plan
        self.by_ref: dict[Ref, Plan] = {}
        self.by_pk: dict[int, Plan] = {}  # existing node -> the row updating it
        self.saved: dict[int, Any] = {}  # row number -> the node as saved
        self.present: set[str] = set()  # the columns the file has

    # The tree's importer says ------------------------------------------------------------------------------

    def prepare(self, sheet: Sheet) -> None:
        """Fetch what the rows refer to, in a few queries."""

    def plan_row(self, row: Row, problems: Problems) -> Plan:
        raise NotImplementedError

    def find(self, ref: Ref):
        """The existing node ``ref`` names, if it is in the importer's scope (hidden and missing look the same)."""
        raise NotImplementedError

    def ref_column(self, ref: Ref, *, parent: bool = False) -> str | None:
        """The column a reference was read from (of the row itself, or of its parent)."""
        raise NotImplementedError

    def missing_parent(self, ref: Ref) -> str:
        raise NotImplementedError

    def check_place(self, plan: Plan, problems: Problems) -> None:
        """The rules of where the row's node may sit; called once the parents are known and loops ruled out."""

    def write(self, plan: Plan, parent):
        """Create or update the row's node through the services (nothing when the row changes nothing)."""
        raise NotImplementedError

    # Checking ---------------------------------------------------------------------------------------------

    def check(self, sheet: Sheet, problems: Problems, progress=None) -> None:
        self.present = {k for k in sheet.keys if k}
        self.prepare(sheet)
        super().check(sheet, problems, progress)
        self._resolve_parents(problems)
        looping = {plan.number for plan in self.plans.values() if self._loops(plan)}
        for plan in self.plans.values():
            if plan.number in looping:
                problems.add(plan.row, self._parent_column_of(plan), ValidationError(
                    _("The parent is this row itself or lies below it: the rows would form a loop.")))
            elif not plan.unresolved:
                self.check_place(plan, problems)

    def check_row(self, row: Row, problems: Problems) -> None:
        plan = self.plan_row(row, problems)
        self.plans[row.number] = plan
        for ref in plan.refs:
            first = self.by_ref.setdefault(ref, plan)
            if first is not plan:
                problems.add(row, self.ref_column(ref), ValidationError(
                    _("“%(value)s” is already in row %(row)d of this file.") % {"value": ref[1], "row": first.number}))
        if plan.node is not None:
            first = self.by_pk.setdefault(plan.node.pk, plan)
            if first is not plan:
                problems.add(row, None, ValidationError(
                    _("Row %(row)d of this file is about the same record.") % {"row": first.number}))

    def _parent_column_of(self, plan: Plan) -> str | None:
        return self.ref_column(plan.parent_refs[0], parent=True) if plan.parent_refs else self.parent_column

    def _resolve_parents(self, problems: Problems) -> None:
        for plan in self.plans.values():
            if plan.keeps_parent or not plan.parent_refs:
                continue
            found = []
            for ref in plan.parent_refs:
                target = self.by_ref.get(ref)
                if target is None:
                    node = self.find(ref)
                    if node is None:
                        problems.add(plan.row, self.ref_column(ref, parent=True),
                                     ValidationError(self.missing_parent(ref)))
                        plan.unresolved = True
                        continue
                    target = self.by_pk.get(node.pk, node)
                found.append(target)
            if plan.unresolved:
                continue
            if any(t is not found[0] for t in found):
                problems.add(plan.row, self._parent_column_of(plan), ValidationError(
                    _("The parent's references name different records.")))
                plan.unresolved = True
                continue
            if isinstance(found[0], Plan):
                plan.parent_plan = found[0]
            else:
                plan.parent = found[0]

    def _loops(self, start: Plan) -> bool:
        """Whether the start row lies above itself once the file is applied to the tree as it stands."""
        seen: set[int] = set()
        current = start.parent_plan or start.parent
        while current is not None:
            if isinstance(current, Plan):
                if current is start:
                    return True
                if current.number in seen:
                    return False  # a loop of other rows: reported on them
                seen.add(current.number)
                current = current.parent_plan or current.parent
                continue
            if current.pk in self.by_pk:  # an existing node the file moves: where the file puts it
                current = self.by_pk[current.pk]
                continue
            # An existing node the file leaves alone: its ancestors stand, up to the first one the file moves.
            current = next((self.by_pk[pk] for pk in reversed(ancestor_ids(current)) if pk in self.by_pk), None)
        return False

    def anchor(self, plan: Plan):
        """The nearest existing node the row's node will sit under (None: at the top, or below new rows only)."""
        seen = set()
        while plan.parent_plan is not None and plan.number not in seen:
            seen.add(plan.number)
            plan = plan.parent_plan
            if plan.node is not None:
                return plan.node
        return plan.parent

    def moves(self, plan: Plan) -> bool:
        """Whether the row puts an existing node under another parent."""
        if plan.node is None or plan.keeps_parent:
            return False
        if plan.parent_plan is not None:
            return plan.parent_plan.node is None or plan.parent_plan.node.pk != plan.node.parent_id
        return (plan.parent.pk if plan.parent is not None else None) != plan.node.parent_id

    # Saving -----------------------------------------------------------------------------------------------

    def _depth_in_file(self, plan: Plan) -> int:
        depth, seen = 0, set()
        while plan.parent_plan is not None and plan.number not in seen:
            seen.add(plan.number)
            plan, depth = plan.parent_plan, depth + 1
        return depth

    def save_order(self, rows: list[Row]) -> list[Row]:
        depth = {n: self._depth_in_file(p) for n, p in self.plans.items()}
        return sorted(rows, key=lambda r: depth.get(r.number, 0))

    def save_row(self, row: Row):
        plan = self.plans[row.number]
        parent = plan.parent
        if plan.parent_plan is not None:
            parent = self.saved.get(plan.parent_plan.number)
            if parent is None:
                raise ValidationError(_("Its parent, row %(row)d, could not be imported.")
                                      % {"row": plan.parent_plan.number})
        try:
            node = self.write(plan, parent)
        except TreeError as e:
            raise ValidationError(str(e)) from e
        self.saved[row.number] = node
        return node
