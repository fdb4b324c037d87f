"""A server does not start on the public development key; the demo makes and keeps its own."""

import os
import subprocess
import sys

from lianxin.cli import demo_secret_key


def start_wsgi(**env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("LIANXIN_SECRET_KEY", "LIANXIN_DEBUG")}
    return subprocess.run([sys.executable, "-c", "import lianxin.wsgi"], env={**base, **env},  # noqa: S603
                          capture_output=True, text=True, timeout=60)


def test_the_server_refuses_the_development_key_with_debug_off():
    refused = start_wsgi()
    assert refused.returncode != 0 and "LIANXIN_SECRET_KEY is not set" in refused.stderr
    assert start_wsgi(LIANXIN_SECRET_KEY="x" * 50).returncode == 0
    assert start_wsgi(LIANXIN_DEBUG="1").returncode == 0  # development with DEBUG on


def test_the_demo_keeps_one_random_key_of_its_own(tmp_path):
    first = demo_secret_key(tmp_path / "var")
    assert len(first) >= 50 and first == demo_secret_key(tmp_path / "var")
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0
    assert demo_secret_key(tmp_path / "other") != first
