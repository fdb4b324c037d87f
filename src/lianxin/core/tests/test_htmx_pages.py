"""htmx is loaded only by the pages that use it (base.html's htmx block), and htmx requests still carry the CSRF
token (base.html's hx-headers)."""

import re
from pathlib import Path

import pytest

import lianxin

HX_ATTRIBUTE = re.compile(r"\shx-(?:get|post|put|patch|delete|trigger|target|swap|vals|headers)=")
EXTENDS = re.compile(r"""{%\s*extends\s+["']([^"']+)["']""")
INCLUDE = re.compile(r"""{%\s*include\s+["']([^"']+)["']""")
HTMX_BLOCK = "{% block htmx %}{% htmx_script %}{% endblock %}"


def templates() -> dict[str, str]:
    found = {}
    for path in Path(lianxin.__file__).parent.glob("*/templates/**/*.html"):
        name = path.relative_to(next(p for p in path.parents if p.name == "templates")).as_posix()
        found[name] = path.read_text()
    return found


def test_every_page_with_hx_attributes_loads_htmx():
    every = templates()

    def loads_htmx(name):  # the template or one it extends fills the block
        while name in every:
            if HTMX_BLOCK in every[name]:
                return True
            parent = EXTENDS.search(every[name])
            name = parent.group(1) if parent else None
        return False

    missing = []
    for name, text in every.items():
        if name == "base.html" or not HX_ATTRIBUTE.search(text):
            continue
        if EXTENDS.search(text):
            pages = [name]
        else:  # a fragment: the pages that include it (it is also sent alone, as the answer to an htmx request)
            pages = [n for n, t in every.items() if name in INCLUDE.findall(t)]
        missing += [f"{page} (hx-* in {name})" for page in pages if not loads_htmx(page)]
    assert not missing, f"pages with hx-* attributes that do not fill base.html's htmx block: {missing}"


@pytest.mark.django_db
def test_htmx_only_where_used(persona_client, world):
    resident = persona_client("resident").get("/cases/report/").content.decode()
    assert "htmx" not in resident.split("</head>")[0]
    page = persona_client("county_staff").get("/areas/").content.decode()
    head, body = page.split("</head>")
    assert "django_htmx/htmx" in head and 'hx-get="' in body
    assert re.search(r"""<body hx-headers='\{"X-CSRFToken": "[A-Za-z0-9]{64}"\}'>""", body)
