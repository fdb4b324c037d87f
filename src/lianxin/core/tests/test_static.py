"""Static files in production shape: collectstatic with the hashed, compressed storage (the rest of the suite uses
the plain storage, see conftest.py), long cache lifetimes for hashed names, compressed pages, and the weight of
the quick-report page on a cold cache."""

import gzip
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings

MANIFEST = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
QUICK_REPORT_BUDGET = 50 * 1024  # bytes transferred on a cold cache: HTML + CSS + JS + images and fonts
HASHED = re.compile(r"\.[0-9a-f]{12}\.\w+$")
ASSET = re.compile(r"""<(?:link[^>]*\bhref|script[^>]*\bsrc|img[^>]*\bsrc)="(/static/[^"]+)\"""")
CSS_URL = re.compile(r"""url\(["']?([^"')]+)["']?\)""")


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=_storages(MANIFEST)):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def _storages(staticfiles):
    from django.conf import settings

    return {**settings.STORAGES, "staticfiles": staticfiles}


@pytest.fixture
def production_static(settings, collected):
    settings.STATIC_ROOT = collected
    settings.STORAGES = _storages(MANIFEST)
    return collected


def client_as(user) -> Client:
    # A new client after the settings changed: WhiteNoise reads STATIC_ROOT when the middleware is built.
    client = Client(headers={"accept-encoding": "gzip"})
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def transferred(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_collectstatic_writes_hashed_compressed_files(production_static):
    manifest = (production_static / "staticfiles.json").read_text()
    assert '"lianxin/app.css"' in manifest
    assert any(HASHED.search(p.name) for p in (production_static / "lianxin").glob("app.*.css"))
    assert list((production_static / "lianxin").glob("app.*.css.gz"))


@pytest.mark.django_db
def test_quick_report_page_weight(production_static, world):
    client = client_as(world.users["resident"])
    page = client.get("/cases/report/")
    assert page.status_code == 200
    assert page["Content-Encoding"] == "gzip"  # GZipMiddleware
    html = gzip.decompress(page.content).decode()
    sizes = {"/cases/report/": len(page.content)}
    assets = ASSET.findall(html)
    assert assets and all(HASHED.search(url) for url in assets), assets  # the page refers to the hashed names
    assert not any("htmx" in url for url in assets), "the quick report does not use htmx"
    queue = list(assets)
    while queue:
        url = queue.pop(0)
        if url in sizes:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"], url
        body = transferred(response)
        sizes[url] = len(body)
        if url.endswith((".css", ".js")):
            assert response.get("Content-Encoding") == "gzip", url  # WhiteNoise's precompressed copy
        if url.endswith(".css"):  # what the style sheet loads in turn (fonts, images)
            base = url.rsplit("/", 1)[0]
            queue += [ref if ref.startswith("/") else f"{base}/{ref}"
                      for ref in CSS_URL.findall(gzip.decompress(body).decode())
                      if not ref.startswith(("data:", "#", "http"))]
    total = sum(sizes.values())
    lines = [f"{n:>7} B  {url}" for url, n in sizes.items()]
    print("\nquick-report page, cold cache (bytes transferred, gzip):\n" + "\n".join(lines)
          + f"\n{total:>7} B  total ({total / 1024:.1f} KB)")
    assert total < QUICK_REPORT_BUDGET, sizes
