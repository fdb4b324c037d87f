"""Shared pieces of the area and org tree screens (one pattern, two trees)."""


def top_nodes(visible_qs):
    """The visible nodes whose parent is not visible: the roots this user's tree starts from."""
    return visible_qs.exclude(parent__in=visible_qs.values("pk")).order_by("path")


def with_child_flags(nodes):
    """Annotate each node with ``has_children`` in one query."""
    nodes = list(nodes)
    if not nodes:
        return nodes
    model = type(nodes[0])
    parents = set(model.objects.filter(parent__in=nodes).values_list("parent_id", flat=True).distinct())
    for n in nodes:
        n.has_children = n.pk in parents
    return nodes
