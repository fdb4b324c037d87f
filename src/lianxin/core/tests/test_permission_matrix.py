"""The permission matrix: every route, every role, home and sibling records.

Routes come from the URL resolver. Each view carries its declaration (lianxin.core.visibility: @scoped,
@personal, @public); a route without one fails here, so a new endpoint joins the matrix by carrying its
decorator (one line). Expectations are computed from the role registry and the tree in Python, not from
visible_to, and an explicit table pins down who sees which community's people.
"""

import functools

import pytest
from auditlog.models import LogEntry
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lianxin.core.roles import ROLES
from lianxin.core.visibility import Scope
from lianxin.testing import PERSONAS

pytestmark = pytest.mark.matrix

COMMUNITIES = ["3708010101", "3708010102", "3708010201", "3708020101"]  # home, sibling community/town/county
HOME = COMMUNITIES[0]


def iter_routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from iter_routes(p, ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name}", p


@functools.cache
def routes():
    """name -> (pattern, declaration) of every route; the URL configuration does not change during a run."""
    found = {}
    for name, pattern in iter_routes():
        found[name] = (pattern, getattr(pattern.callback, "lianxin_scope", None))
    return found


def samples(world, model_label: str) -> dict:
    """One record of ``model_label`` per community, keyed by community code."""
    getters = {
        "areas.area": lambda c: world.areas[c],
        "orgs.org": lambda c: world.orgs[f"firm-{c}"],
        "people.person": lambda c: world.people[c],
        "core.storedfile": lambda c: world.files[c],
        "accounts.user": lambda c: world.accounts[c],
        "accounts.rolegrant": lambda c: world.accounts[c].grants.get(),
        "cases.case": lambda c: world.cases[c],
        "cases.patrol": lambda c: world.patrols[c],
        "care.retiree": lambda c: world.retirees[c],
        "care.healthevent": lambda c: world.health_events[c],
    }
    if model_label not in getters:
        return {c: world.samples[model_label][c] for c in COMMUNITIES}
    return {c: getters[model_label](c) for c in COMMUNITIES}


DETAIL = {
    "areas.area": "areas:detail", "orgs.org": "orgs:detail", "people.person": "people:detail",
    "accounts.user": "accounts:detail", "cases.case": "cases:detail", "care.retiree": "care:detail",
    "care.healthevent": "care:health_event",
}


def label_of(obj) -> str:
    """The text by which a list page shows ``obj`` (and which its ?q= search finds)."""
    return getattr(obj, "username", None) or getattr(obj, "number", None) or getattr(obj, "name", None) or str(obj)


def anchors(obj) -> list[str]:
    paths = []
    if type(obj)._meta.label_lower == "areas.area":
        return [obj.path]
    if getattr(obj, "area_id", None):
        paths.append(obj.area.path)
    if type(obj)._meta.label_lower == "orgs.org":
        paths.append(obj.path)
    elif getattr(obj, "org_id", None) and getattr(type(obj), "scope_org", None):
        paths.append(obj.org.path)
    return paths


def grants_of(user) -> list:
    """The user's grants read from the database (not through visibility), once per user object."""
    if not hasattr(user, "_matrix_grants"):
        user._matrix_grants = list(user.grants.select_related("area", "org"))
    return user._matrix_grants


def expected_allowed(user, obj, action: str) -> bool:
    """Oracle: a grant whose role allows ``action`` and whose node is an ancestor-or-self of an anchor."""
    label = type(obj)._meta.label_lower
    for g in grants_of(user):
        if not ROLES[g.role].allows(label, action):
            continue
        node = g.area or g.org
        is_area_grant = g.area_id is not None
        for path in anchors(obj):
            area_side = label == "areas.area" or path == getattr(getattr(obj, "area", None), "path", None)
            if area_side == is_area_grant and path.startswith(node.path):
                return True
    return False


def home_url(world, name, pattern, scope) -> str:
    """A URL of the route for the home community's record (or any configuration row)."""
    if isinstance(scope, Scope) and scope.kind == "object":
        return reverse(name, kwargs={scope.lookup: samples(world, scope.model._meta.label_lower)[HOME].pk,
                                     **scope.sample})
    if "pk" in pattern.pattern.converters:
        return reverse(name, kwargs={"pk": scope.model.objects.order_by("pk").first().pk})
    return reverse(name)


def test_every_route_is_declared():
    undeclared = [name for name, (_p, scope) in routes().items() if scope is None]
    assert not undeclared, f"routes neither scoped nor marked public/personal: {undeclared}"


# One test per scoped route, so that the matrix spreads over the parallel test processes.
SCOPED_ROUTES = sorted(name for name, (_p, scope) in routes().items() if scope not in ("public", "personal", None))


@pytest.mark.django_db
@pytest.mark.parametrize("name", SCOPED_ROUTES)
def test_matrix(world, client, name):
    problems = []
    _pattern, scope = routes()[name]
    assert isinstance(scope, Scope), name
    label = scope.model._meta.label_lower
    for role, user in world.users.items():
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        if scope.kind == "object":
            for code, obj in samples(world, label).items():
                url = reverse(name, kwargs={scope.lookup: obj.pk, **scope.sample})
                status = client.get(url).status_code
                if not expected_allowed(user, obj, "view") and not (label == "accounts.user" and obj == user):
                    want = {404}
                elif not expected_allowed(user, obj, scope.action):
                    want = {403}
                else:
                    want = {200, 302, 400, 405}
                if status not in want:
                    problems.append(f"{name} {role} {code}: got {status}, want {sorted(want)}")
        elif scope.kind == "list":
            for code, obj in samples(world, label).items():
                response = client.get(reverse(name), {"q": label_of(obj)})
                granted = any(ROLES[g.role].allows(label, scope.action) for g in grants_of(user))
                if scope.staff and not granted:  # a working screen: refused to involvement-only users
                    if response.status_code != 403:
                        problems.append(f"{name} {role}: staff screen answered {response.status_code}, want 403")
                    break
                if response.status_code == 403 and not granted:
                    break  # e.g. statistics: nothing to compute over for an involvement-only user
                if response.status_code == 405:
                    break  # a POST-only list action (bulk moves); its rows come from the same scope
                if response.status_code != 200:
                    problems.append(f"{name} {role}: list answered {response.status_code}")
                    break
                detail = DETAIL.get(label) or world.details.get(label)
                if not (response.get("Content-Type", "").startswith("text/html") and detail):
                    break  # an export or a statistics page: no record links to look for, one request is enough
                # The search box echoes q, so look for the link to the record instead.
                link = f'href="{reverse(detail, args=[obj.pk])}"'
                shown = link in response.content.decode()
                allowed = expected_allowed(user, obj, scope.action)
                if shown and not allowed or (not shown and allowed and not scope.subset):
                    problems.append(f"{name} {role} {code}: shown={shown}")
        elif scope.kind in ("create", "config"):
            status = client.get(home_url(world, name, _pattern, scope)).status_code
            may = any(ROLES[g.role].allows(label, scope.action) for g in grants_of(user))
            if (status == 403) == may or status == 404:
                problems.append(f"{name} {role}: {scope.kind} page answered {status}")
        client.logout()
    assert not problems, "\n".join(problems)


NAMESPACES = sorted({name.partition(":")[0] for name in routes()})


@pytest.mark.django_db
@pytest.mark.parametrize("role", [role for role in PERSONAS if role != "administrator"])
def test_posts_to_sibling_records_change_nothing(world, client, role):
    """Every object route, POSTed for a record of the other county, answers 404 and writes nothing."""
    target = "3708020101"
    client.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
    for name, (_pattern, scope) in routes().items():
        if not isinstance(scope, Scope) or scope.kind != "object":
            continue
        obj = samples(world, scope.model._meta.label_lower)[target]
        before = LogEntry.objects.count()
        url = reverse(name, kwargs={scope.lookup: obj.pk, **scope.sample})
        response = client.post(url, {"field": "phone", "name": "x"})
        assert response.status_code == 404, f"{name} as {role}: {response.status_code}"
        assert LogEntry.objects.count() == before


# Who sees which community's people: written out by hand, independent of the code under test.
PEOPLE_SEEN = {
    "resident": set(),
    "grid_worker": {"3708010101"},
    "community_staff": {"3708010101"},
    "town_staff": {"3708010101", "3708010102"},
    "county_staff": {"3708010101", "3708010102", "3708010201"},
    "department_handler": set(),
    "industry_committee_staff": {"3708010101", "3708010102", "3708010201"},
    "org_department": {"3708010101", "3708010102", "3708010201"},
    "administrator": set(COMMUNITIES),
    "instructor": set(),
    "station_manager": set(),
}


@pytest.mark.django_db
def test_people_visibility_table(world, client):
    from lianxin.people.models import Person

    for role, user in world.users.items():
        seen = {c for c in COMMUNITIES if Person.objects.visible_to(user).filter(pk=world.people[c].pk).exists()}
        assert seen == PEOPLE_SEEN[role], role
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        page = client.get(reverse("people:list")).content.decode()
        assert {c for c in COMMUNITIES if world.marker(c) in page} == PEOPLE_SEEN[role], role
        client.logout()


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(world, client):
    for name, (pattern, scope) in routes().items():
        if scope == "public":
            continue
        url = home_url(world, name, pattern, scope)
        response = client.get(url)
        if name.startswith("api:"):  # an interface for programs: a JSON 401, not the login page
            assert response.status_code == 401 and response.json()["code"] == "not_authenticated", name
            continue
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


@pytest.mark.django_db
@pytest.mark.parametrize("namespace", NAMESPACES)
@pytest.mark.parametrize("language,lang_attr", [("zh-hans", 'lang="zh-CN"'), ("en", 'lang="en"')])
def test_every_page_renders_in_both_languages(world, client, language, lang_attr, namespace):
    client.cookies["django_language"] = language
    client.force_login(world.users["administrator"], backend="django.contrib.auth.backends.ModelBackend")
    for name, (pattern, scope) in routes().items():
        if name.partition(":")[0] != namespace:
            continue
        url = home_url(world, name, pattern, scope)
        response = client.get(url)
        if name == "core:readyz":  # no worker runs beside the tests: not ready, and says so in JSON
            # No worker runs in the tests (and the world's queued tasks wait since it was built): not ready.
            problems = response.json()["problems"]
            assert response.status_code == 503 and "no_worker" in problems and set(problems) <= {
                "no_worker", "queue_lag"}, response.content
            continue
        assert response.status_code in (200, 302, 400, 405), f"{name}: {response.status_code}"
        if response.status_code == 200 and response["Content-Type"].startswith("text/html") \
                and b"<html" in response.content:
            assert lang_attr in response.content.decode(), name
