"""Starting the demo: a busy address stops it at once, the seed says how far it is, the seeded year's messages are
not sent when the worker starts."""

import os
import socket
import subprocess
import sys
import time

import pytest
from django.utils import translation

from lianxin import cli

SECRET = "test-only-7bQx2Lm9Vc4Np1Rt8Ys3Wd6Ze0Gh5Jk2Qa7Uf4Xo1Ti9Pe3Rn6Sl8Fm"  # noqa: S105


@pytest.fixture
def listening():
    """A socket listening on 127.0.0.1 (a demo already running there); its "host:port"."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield f"127.0.0.1:{s.getsockname()[1]}"


# --- a busy address ---------------------------------------------------------------------------------------------

def test_bind_in_use_finds_a_listening_socket(listening):
    assert cli.bind_in_use(listening)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        free = f"127.0.0.1:{s.getsockname()[1]}"
    assert not cli.bind_in_use(free)
    # What only gunicorn can judge is left to it.
    assert not cli.bind_in_use("unix:/tmp/lianxin.sock")
    assert not cli.bind_in_use("no-such-host.invalid:8000")


def test_demo_on_a_busy_address_stops_before_migrating(listening, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(LIANXIN_BIND=listening, LIANXIN_VAR_DIR=str(tmp_path), LIANXIN_SECRET_KEY=SECRET,
               DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-m", "lianxin.cli", "demo"], env=env,  # noqa: S603
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 1, out.stdout + out.stderr
    assert time.monotonic() - started < 60  # not after minutes of seeding
    assert f"无法启动演示：{listening} 已被占用" in out.stderr
    assert "LIANXIN_BIND=127.0.0.1:8001 ./scripts/demo" in out.stderr
    assert not (tmp_path / "demo.sqlite3").exists()  # nothing migrated, nothing seeded


def test_the_busy_address_message_in_english(listening, monkeypatch, capsys):
    calls = []
    monkeypatch.setenv("LIANXIN_BIND", listening)
    monkeypatch.setenv("LIANXIN_SECRET_KEY", SECRET)
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **kw: calls.append(a))
    with translation.override("en"), pytest.raises(SystemExit) as stop:
        cli.demo([])
    assert stop.value.code == 1
    assert calls == []
    err = capsys.readouterr().err
    assert f"Cannot start the demo: {listening} is in use already" in err
    assert "choose another address with LIANXIN_BIND" in err
