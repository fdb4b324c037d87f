"""Views, exports and importers read user data only through visible_to (DESIGN.md, invariant 1)."""

import re
from pathlib import Path

import lianxin

# Per-account things that are not anchored in an area: reading one's own rows is the scope.
PERSONAL_MODELS = {"Notification", "ImportJob", "FormSubmission"}
# Configuration every signed-in user may read (categories and their limits), not user data.
CONFIG_MODELS = {"Category", "TimeLimit", "ResponseTemplate", "CalendarDay", "ContentType"}
READ_MODULES = ("views.py", "imports.py", "exports.py", "api.py", "importing.py", "resubmit.py")
UNSCOPED = re.compile(r"\b([A-Z]\w+)\.objects\.(?!visible_to\b|none\b)(\w+)")


def test_views_never_read_domain_models_unscoped():
    root = Path(lianxin.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts:
            continue
        if path.name not in READ_MODULES and not path.name.endswith("_views.py") and path.parent.name != "api":
            continue
        for lineno, line in enumerate(path.read_text().splitlines(), 1):
            for model, _method in UNSCOPED.findall(line):
                if model not in PERSONAL_MODELS | CONFIG_MODELS:
                    offenders.append(f"{path.relative_to(root)}:{lineno}: {line.strip()}")
    assert not offenders, "unscoped reads (use Model.objects.visible_to(user, action)):\n" + "\n".join(offenders)
