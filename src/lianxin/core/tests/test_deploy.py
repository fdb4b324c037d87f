"""The production settings pass Django's deployment check, and the served access log carries no query strings."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

SECRET = "test-only-9f3Kq2Lx7Vb1Np4Rt6Ys8Wd0Ze5Gh3Jm2Qc7Ua1Xo4Ti6Pe8Rn0Sk5Fl"  # noqa: S105


def env(**extra) -> dict:
    # Playwright's fixtures set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployed server has no such thing.
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**base, "LIANXIN_SECRET_KEY": SECRET, "LIANXIN_DEBUG": "0", **extra}


def test_deploy_check_is_clean_behind_https():
    result = subprocess.run([sys.executable, "-m", "lianxin.cli", "check", "--deploy", "--fail-level", "WARNING"],  # noqa: S603
                            env=env(LIANXIN_BEHIND_HTTPS_PROXY="1"), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db(transaction=True)
def test_access_log_has_no_query_strings(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "lianxin.cli", "serve", "--workers", "1"],  # noqa: S603
                            env=env(LIANXIN_BIND=f"127.0.0.1:{port}", LIANXIN_VAR_DIR=str(tmp_path)),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/healthz?q=13800138000&api_key=SeCrEt123"
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=5).read()  # noqa: S310  (our own server on 127.0.0.1)
                break
            except urllib.error.HTTPError:  # an answer (an empty database is "unhealthy"): the line is logged
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not answer")
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    lines = [line for line in out.splitlines() if "/healthz" in line]
    assert lines, out
    assert not any("13800138000" in line or "SeCrEt123" in line or "q=" in line for line in lines), lines
