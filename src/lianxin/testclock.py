"""The clock of a test run: every test starts at one moment, LIANXIN_TEST_NOW, whatever the real date.

``start()`` moves the process's clock there for the whole run (time-machine, ticking); ``at_epoch()`` puts it
back to that moment for each test. Without LIANXIN_TEST_NOW the moment is the real time when the run starts,
so a developer's run still explores an arbitrary date; .ci/run sets the hardest ones. Child processes that a
test starts (a worker, gunicorn) get the test's moment through libfaketime: see ``child_env``.
"""

import os
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone

import time_machine

ENV = "LIANXIN_TEST_NOW"


def _epoch() -> datetime:
    value = os.environ.get(ENV, "").strip()
    if not value:
        return datetime.now(timezone(timedelta(hours=8))).replace(microsecond=0)
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"{ENV} needs a UTC offset, e.g. 2026-12-31T23:30:00+08:00 (got {value!r})")
    return moment


EPOCH = _epoch()
_session = None


def start() -> None:
    global _session
    if _session is None:
        _session = time_machine.travel(EPOCH, tick=True)
        _session.start()


# libfaketime (Debian package faketime) moves a child process's clock, whatever language it is written in.
FAKETIME_LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"


def child_env(env: dict) -> dict:
    """``env`` for a process a test starts, its clock at the test's "now" (and ticking from there)."""
    if not os.path.exists(FAKETIME_LIB):
        raise RuntimeError(f"{FAKETIME_LIB} is missing: apt-get install faketime (the test clock of child "
                           "processes)")
    now = datetime.now(UTC)
    preload = " ".join(p for p in (FAKETIME_LIB, env.get("LD_PRELOAD", "")) if p)
    # The monotonic clock moves with it (DONT_FAKE_MONOTONIC breaks Python's time.sleep); it ticks at real speed.
    return {**env, "LD_PRELOAD": preload, "FAKETIME": now.strftime("@%Y-%m-%d %H:%M:%S"), "TZ": "UTC",
            "FAKETIME_DONT_RESET": "1"}


@contextmanager
def at(moment: datetime, tick: bool = True):
    with time_machine.travel(moment, tick=tick):
        yield


def at_epoch():
    return at(EPOCH)
