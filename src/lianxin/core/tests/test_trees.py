"""Materialised-path trees: areas and orgs services, subtree queries and their indexes."""

import pytest
from django.db import connection
from django.utils import translation

from lianxin.areas import services as areas
from lianxin.areas.models import Area
from lianxin.core.trees import TreeError, minimal_paths, place_node, subtree_q
from lianxin.orgs import services as orgs
from lianxin.orgs.models import Org
from lianxin.people import services as people
from lianxin.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def make_tree():
    """city → 2 counties → 2 towns each → 2 communities each → 1 grid each (23 areas)."""
    t = {"city": areas.create_area(actor=None, kind="city", code="C", name="City", parent=None)}
    for c in range(2):
        county = t[f"c{c}"] = areas.create_area(actor=None, kind="county", code=f"C{c}", name=f"County {c}",
                                                parent=t["city"])
        for w in range(2):
            town = t[f"c{c}t{w}"] = areas.create_area(actor=None, kind="town", code=f"C{c}T{w}",
                                                      name=f"Town {c}{w}", parent=county)
            for m in range(2):
                comm = t[f"c{c}t{w}m{m}"] = areas.create_area(
                    actor=None, kind="community", code=f"C{c}T{w}M{m}", name=f"Community {c}{w}{m}", parent=town)
                t[f"c{c}t{w}m{m}g"] = areas.create_area(
                    actor=None, kind="grid", code=f"C{c}T{w}M{m}G", name=f"Grid {c}{w}{m}", parent=comm)
    return t


def descendants_by_parent_links(model, root) -> set[int]:
    """The subtree computed without paths, from parent links only: the oracle for subtree_q."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in model.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    out, todo = set(), [root.pk]
    while todo:
        pk = todo.pop()
        out.add(pk)
        todo.extend(children.get(pk, []))
    return out


def snapshot(model):
    return sorted(model.objects.values_list("pk", "parent_id", "path", "depth"))


# --- building -----------------------------------------------------------------------------------

def test_nested_areas_get_paths_and_depths():
    t = make_tree()
    city, county, town = t["city"], t["c0"], t["c0t1"]
    grid = t["c0t1m1g"]
    assert city.path == f"/{city.pk}/" and city.depth == 0
    assert county.path == f"/{city.pk}/{county.pk}/" and county.depth == 1
    assert town.path == f"{county.path}{town.pk}/" and town.depth == 2
    assert grid.depth == 4 and grid.path.startswith(town.path)
    grid.refresh_from_db()
    assert grid.path.startswith(town.path) and grid.depth == 4
    assert [a.pk for a in grid.ancestors()] == [city.pk, county.pk, town.pk, t["c0t1m1"].pk]
    assert town.is_ancestor_of(grid) and not grid.is_ancestor_of(town) and not town.is_ancestor_of(town)
    assert Area.objects.count() == 23


@pytest.mark.parametrize("kind, parent_key, message", [
    ("town", "city", "A Town / street must sit under a County / district."),
    ("grid", "c0t0", "A Grid must sit under a Community / village."),
    ("county", None, "A County / district must sit under a City."),
    ("city", "city", "A city is the top of the area tree and has no parent."),
    ("community", "c0t0m0g", "A Community / village must sit under a Town / street."),
])
def test_kind_rules(kind, parent_key, message):
    t = make_tree()
    before = snapshot(Area)
    with pytest.raises(TreeError) as e:
        areas.create_area(actor=None, kind=kind, code="NEW", name="New", parent=t.get(parent_key))
    assert str(e.value) == message
    assert snapshot(Area) == before


def test_moving_to_a_parent_of_the_wrong_kind_is_refused():
    t = make_tree()
    before = snapshot(Area)
    with pytest.raises(TreeError, match="must sit under a County"):
        areas.update_area(t["c0t0"], actor=None, parent=t["city"])
    assert snapshot(Area) == before


# --- moving -------------------------------------------------------------------------------------

def test_moving_an_area_rewrites_descendant_paths():
    t = make_tree()
    town, new_county = t["c0t0"], t["c1"]
    old_path = town.path
    moved = areas.update_area(town, actor=None, parent=new_county)
    assert moved.parent == new_county
    assert moved.path == f"{new_county.path}{town.pk}/"
    for key in ("c0t0m0", "c0t0m1", "c0t0m0g", "c0t0m1g"):
        node = Area.objects.get(pk=t[key].pk)
        assert node.path.startswith(moved.path), key
        assert not node.path.startswith(old_path)
        assert node.path == moved.path + t[key].path[len(old_path):]
        assert node.depth == t[key].depth
    # the rest of the tree is untouched
    for key in ("c0", "c0t1", "c0t1m0", "c0t1m0g", "c1t0m0g"):
        assert Area.objects.get(pk=t[key].pk).path == t[key].path
    assert set(new_county.subtree().values_list("pk", flat=True)) == descendants_by_parent_links(Area, new_county)
    assert set(t["c0"].subtree().values_list("pk", flat=True)) == descendants_by_parent_links(Area, t["c0"])


def test_moving_an_org_rewrites_descendant_paths_and_depths():
    t = make_tree()
    area = t["c0"]
    root = orgs.create_org(actor=None, parent=None, kind="working_committee", name="Root", area=area)
    other = orgs.create_org(actor=None, parent=None, kind="party_committee", name="Other", area=area)
    deep = orgs.create_org(actor=None, parent=other, kind="general_branch", name="Deep", area=area)
    mid = orgs.create_org(actor=None, parent=root, kind="industry_committee", name="Mid", area=area)
    leaf = orgs.create_org(actor=None, parent=mid, kind="branch", name="Leaf", area=area)
    leaf2 = orgs.create_org(actor=None, parent=leaf, kind="firm", name="Leaf2", area=area)
    assert (mid.depth, leaf.depth, leaf2.depth) == (1, 2, 3)

    orgs.update_org(mid, actor=None, parent=deep)  # one level deeper
    mid.refresh_from_db(), leaf.refresh_from_db(), leaf2.refresh_from_db()
    assert mid.path == f"/{other.pk}/{deep.pk}/{mid.pk}/" and mid.depth == 2
    assert leaf.path == f"{mid.path}{leaf.pk}/" and leaf.depth == 3
    assert leaf2.path == f"{leaf.path}{leaf2.pk}/" and leaf2.depth == 4

    orgs.update_org(mid, actor=None, parent=None)  # to the top
    mid.refresh_from_db(), leaf.refresh_from_db(), leaf2.refresh_from_db()
    assert mid.path == f"/{mid.pk}/" and mid.depth == 0
    assert leaf.path == f"/{mid.pk}/{leaf.pk}/" and leaf.depth == 1
    assert leaf2.depth == 2
    assert set(root.subtree().values_list("pk", flat=True)) == {root.pk}


def test_moving_an_org_under_its_own_descendant_is_refused_and_changes_nothing():
    area = make_tree()["c0"]
    root = orgs.create_org(actor=None, parent=None, kind="working_committee", name="Root", area=area)
    mid = orgs.create_org(actor=None, parent=root, kind="industry_committee", name="Mid", area=area)
    leaf = orgs.create_org(actor=None, parent=mid, kind="branch", name="Leaf", area=area)
    before = snapshot(Org)
    for target in (leaf, mid):
        with pytest.raises(TreeError, match="cannot be moved under itself or one of its descendants"):
            orgs.update_org(mid, actor=None, parent=target, name="Renamed")
    with pytest.raises(TreeError):
        orgs.update_org(root, actor=None, parent=leaf)
    assert snapshot(Org) == before
    assert Org.objects.get(pk=mid.pk).name == "Mid"


def test_place_node_refuses_a_cycle_for_areas_too():
    t = make_tree()
    before = snapshot(Area)
    county = Area.objects.get(pk=t["c0"].pk)
    with pytest.raises(TreeError, match="cannot be moved under itself"):
        place_node(county, t["c0t0m0g"])
    with pytest.raises(TreeError):
        place_node(county, county)
    assert snapshot(Area) == before


def test_moving_an_area_under_its_own_descendant_is_refused():
    t = make_tree()
    before = snapshot(Area)
    with pytest.raises(TreeError):
        areas.update_area(t["c0"], actor=None, parent=t["c0t0"])
    assert snapshot(Area) == before


def test_moving_with_a_stale_in_memory_node_uses_the_stored_path():
    """update_area re-reads the row, so a caller's stale copy cannot corrupt paths."""
    t = make_tree()
    stale_town = Area.objects.get(pk=t["c0t0"].pk)
    areas.update_area(t["c0t0"], actor=None, parent=t["c1"])
    areas.update_area(stale_town, actor=None, parent=t["c0"])  # stale copy still says it's under c0
    town = Area.objects.get(pk=t["c0t0"].pk)
    assert town.parent_id == t["c0"].pk
    assert town.path == f"{t['c0'].path}{town.pk}/"
    for pk in descendants_by_parent_links(Area, town):
        assert Area.objects.get(pk=pk).path.startswith(town.path)


# --- deleting -----------------------------------------------------------------------------------

def test_deleting_an_area_with_children_is_refused():
    t = make_tree()
    before = snapshot(Area)
    with pytest.raises(TreeError) as e:
        areas.delete_area(t["c0t0"], actor=None)
    assert str(e.value) == "“Town 00” still has sub-areas; delete or move them first."
    assert snapshot(Area) == before


def test_deleting_an_area_used_by_a_person_is_refused_and_changes_nothing():
    t = make_tree()
    grid = t["c0t0m0g"]
    person = people.create_person(actor=None, name="Zhang San", area=grid, kinds=["resident"])
    before = snapshot(Area)
    with pytest.raises(TreeError) as e:
        areas.delete_area(grid, actor=None)
    assert str(e.value) == (
        "“Grid 000” is still used by 1 record (Zhang San); move it first."
    )
    assert snapshot(Area) == before
    assert Person.objects.get(pk=person.pk).area_id == grid.pk


def test_deleting_a_leaf_area_works():
    t = make_tree()
    areas.delete_area(t["c1t1m1g"], actor=None)
    assert not Area.objects.filter(pk=t["c1t1m1g"].pk).exists()
    assert Area.objects.count() == 22


def test_org_delete_rules():
    area = make_tree()["c0"]
    root = orgs.create_org(actor=None, parent=None, kind="working_committee", name="Root", area=area)
    branch = orgs.create_org(actor=None, parent=root, kind="branch", name="Branch", area=area)
    before = snapshot(Org)
    with pytest.raises(TreeError) as e:
        orgs.delete_org(root, actor=None)
    assert str(e.value) == "“Root” still has sub-organisations; delete or move them first."
    people.create_person(actor=None, name="Li Si", area=area, org=branch, kinds=["rider"])
    with pytest.raises(TreeError) as e:
        orgs.delete_org(branch, actor=None)
    assert str(e.value) == "“Branch” is still used by 1 record (Li Si); move it first."
    assert snapshot(Org) == before
    # an area still used by an org is protected too
    with pytest.raises(TreeError, match="still has sub-areas|still used by"):
        areas.delete_area(area, actor=None)
    Person.objects.all().delete()
    orgs.delete_org(branch, actor=None)
    orgs.delete_org(root, actor=None)
    assert not Org.objects.exists()


def test_org_in_use_by_area_reference_blocks_area_delete():
    t = make_tree()
    grid = t["c1t0m0g"]
    orgs.create_org(actor=None, parent=None, kind="firm", name="Shop", area=grid)
    with pytest.raises(TreeError, match="still used by 1 record"):
        areas.delete_area(grid, actor=None)
    assert Area.objects.filter(pk=grid.pk).exists()


# --- subtree queries ----------------------------------------------------------------------------

def test_subtree_q_returns_exactly_the_subtree():
    t = make_tree()
    # More roots so that ids share digit prefixes (e.g. /2/ and /23/): prefix matching must respect "/".
    extra = [areas.create_area(actor=None, kind="city", code=f"X{i}", name=f"X{i}", parent=None) for i in range(12)]
    for node in [*t.values(), *extra]:
        got = set(Area.objects.filter(subtree_q("path", node.path)).values_list("pk", flat=True))
        assert got == descendants_by_parent_links(Area, node), node.code
    assert set(t["c0t0"].descendants().values_list("pk", flat=True)) == (
        descendants_by_parent_links(Area, t["c0t0"]) - {t["c0t0"].pk})


def test_subtree_q_through_a_join():
    t = make_tree()
    inside = people.create_person(actor=None, name="In", area=t["c0t1m0g"], kinds=["resident"])
    people.create_person(actor=None, name="Out", area=t["c1t1m0g"], kinds=["resident"])
    got = list(Person.objects.filter(subtree_q("area__path", t["c0"].path)))
    assert got == [inside]
    assert list(Person.objects.filter(subtree_q("area__path", t["c0t0"].path))) == []


def test_minimal_paths():
    assert minimal_paths(["/1/2/", "/1/", "/10/", "/1/2/3/", "/10/"]) == ["/1/", "/10/"]
    assert minimal_paths([]) == []


def _index_names(table: str, column: str) -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {name for name, c in constraints.items() if c["index"] and c["columns"] == [column]}


def explain(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        assert connection.vendor == "postgresql", connection.vendor
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def assert_path_index_used(queryset, table: str):
    plan = explain(queryset)
    path_indexes = _index_names(table, "path")
    assert path_indexes, f"no index on {table}.path"
    if connection.vendor == "sqlite":
        lines = [line for line in plan.splitlines() if table in line]
        assert lines, plan
        line = lines[0]
        assert "USING INDEX" in line or "USING COVERING INDEX" in line, plan
        assert any(name in line for name in path_indexes), plan
        assert "(path>? AND path<?)" in line, plan
        assert not any(ln.strip().startswith("SCAN") and "INDEX" not in ln for ln in plan.splitlines()), plan
    else:
        like_indexes = {name for name in path_indexes if name.endswith("_like")}
        assert like_indexes, path_indexes
        assert any(kind in plan for kind in ("Index Scan", "Index Only Scan", "Bitmap Index Scan")), plan
        assert any(name in plan for name in like_indexes), plan
        assert "Seq Scan" not in plan, plan


def test_area_subtree_query_is_index_backed():
    t = make_tree()
    assert_path_index_used(Area.objects.filter(subtree_q("path", t["c0t1"].path)), "areas_area")
    assert_path_index_used(
        Area.objects.filter(subtree_q("path", t["c0"].path)).values_list("pk", flat=True), "areas_area")


def test_org_subtree_query_is_index_backed():
    area = make_tree()["c0"]
    root = orgs.create_org(actor=None, parent=None, kind="working_committee", name="Root", area=area)
    orgs.create_org(actor=None, parent=root, kind="branch", name="Branch", area=area)
    assert_path_index_used(Org.objects.filter(subtree_q("path", root.path)), "orgs_org")
