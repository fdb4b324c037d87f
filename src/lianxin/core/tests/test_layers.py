"""Imports point down: an app imports only apps of its own layer or below (DESIGN.md, "Architecture").

Read from the source with ast (tests and migrations aside), so a new upward import fails here, whatever the code
does at run time. A new app joins a layer by being listed in LAYERS; an app that is not listed fails the test.
"""

import ast
from pathlib import Path

import lianxin

ROOT = Path(lianxin.__file__).parent

# Lowest first. Within the foundation layer the order matters too (areas < orgs < people < accounts).
LAYERS = [
    {"core"},
    {"areas"}, {"orgs"}, {"people"}, {"accounts"}, {"workdays"},
    {"cases", "duties"},
    # The modules. wishes and care import each other today (care posts wishes for retirees; the wish form lists
    # retirees): they share this layer until the wish form gets its beneficiaries from a registry.
    {"wishes", "care", "newgroups", "workforce", "stations", "activities", "colleges", "learning", "consultation",
     "talent", "villages", "assessment", "triage"},
    {"reports"},
    {"api", "demo"},
]
# Modules that never import the seeder or the test world (they are handed what they need).
HANDED_IN = {"demo", "testing", "testclock", "conftest"}


def layer_of(app: str) -> int:
    for i, apps in enumerate(LAYERS):
        if app in apps:
            return i
    raise AssertionError(f"app {app!r} is in no layer: add it to LAYERS in {__file__}")


def imports():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if len(parts) < 2 or "tests" in parts or "migrations" in parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                if name.startswith("lianxin."):
                    yield parts[0], name.split(".")[1], path.relative_to(ROOT), node.lineno


def test_apps_import_only_their_layer_or_below():
    upward = [f"{path}:{line} ({app} imports {target})" for app, target, path, line in imports()
              if target not in HANDED_IN and target != app and layer_of(target) > layer_of(app)]
    assert not upward, "\n".join(upward)


def test_no_app_imports_the_seeder_or_the_test_world():
    found = [f"{path}:{line} ({app} imports lianxin.{target})" for app, target, path, line in imports()
             if target in HANDED_IN and app != target and app not in {"demo"}]
    assert not found, "\n".join(found)
