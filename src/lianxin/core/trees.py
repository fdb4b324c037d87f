"""Materialised-path trees shared by areas and orgs.

A node's ``path`` is its ancestors' ids and its own, e.g. ``/1/5/12/``. A subtree is every path that
starts with the node's path. The ``within`` lookup keeps that query index-backed on both databases:
PostgreSQL uses LIKE with the ``varchar_pattern_ops`` index Django adds for indexed CharFields;
SQLite (binary collation) uses a half-open range, since its LIKE ignores indexes by default.
"""

from django.db import models, transaction
from django.db.models import F, Lookup, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@models.CharField.register_lookup
class Within(Lookup):
    lookup_name = "within"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        prefix = str(self.rhs)
        # "/" + 1 == "0": every path that starts with prefix sorts in [prefix, prefix[:-1] + "0").
        return f"({lhs} >= %s AND {lhs} < %s)", [*lhs_params, prefix, prefix[:-1] + "0"]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs}::text LIKE %s", [*lhs_params, f"{self.rhs}%"]


def subtree_q(field: str, path: str) -> Q:
    """Q matching rows whose ``field`` (a path) lies in the subtree rooted at ``path``."""
    return Q(**{f"{field}__within": path})


def minimal_paths(paths) -> list[str]:
    """Drop paths already covered by an ancestor in the same set (fewer OR branches in SQL)."""
    kept: list[str] = []
    for p in sorted(set(paths), key=len):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return kept


class TreeError(ValueError):
    """A tree rule was broken (cycle, wrong level, node still in use)."""


class TreeNode(models.Model):
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=gettext_lazy("parent"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        abstract = True

    def is_ancestor_of(self, other) -> bool:
        return other.path.startswith(self.path) and other.pk != self.pk

    def ancestors(self):
        ids = [int(x) for x in self.path.strip("/").split("/") if x][:-1]
        return sorted(type(self).objects.filter(pk__in=ids), key=lambda n: n.depth)

    def subtree(self):
        return type(self).objects.filter(subtree_q("path", self.path))

    def descendants(self):
        return self.subtree().exclude(pk=self.pk)


def place_node(node: TreeNode, parent: TreeNode | None) -> None:
    """Save a new node or move an existing one under ``parent``, rewriting descendants' paths."""
    model = type(node)
    with transaction.atomic():
        if parent is not None:
            parent = model.objects.select_for_update().get(pk=parent.pk)
        if node.pk and parent is not None and parent.path.startswith(node.path):
            raise TreeError(_("A node cannot be moved under itself or one of its descendants."))
        old_path, old_depth = node.path, node.depth
        node.parent = parent
        node.depth = 0 if parent is None else parent.depth + 1
        if not node.pk:
            node.path = ""
            node.save()
        node.path = f"{parent.path if parent else '/'}{node.pk}/"
        node.save()
        if old_path and old_path != node.path:
            model.objects.filter(subtree_q("path", old_path)).exclude(pk=node.pk).update(
                path=Concat(Value(node.path), Substr("path", len(old_path) + 1), output_field=models.CharField()),
                depth=F("depth") + (node.depth - old_depth),
            )
