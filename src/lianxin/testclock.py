"""The clock of a test run: every test starts at one moment, LIANXIN_TEST_NOW, whatever the real date.

``start()`` moves the process's clock there for the whole run (time-machine, ticking); ``at_epoch()`` puts it
back to that moment for each test. Without LIANXIN_TEST_NOW the moment is the real time when the run starts,
so a developer's run still explores an arbitrary date; .ci/run sets the hardest ones. Child processes that a
test starts (a worker, gunicorn) get the test's moment too: see ``child_env``.
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


def start(moment: datetime = EPOCH) -> None:
    global _session
    if _session is None:
        _session = time_machine.travel(moment, tick=True)
        _session.start()


# A Python process a test starts (a worker, gunicorn) imports sitecustomize.py from this folder at start-up, which
# starts its clock at the moment CHILD_ENV names. time-machine moves the dates and leaves the monotonic clock alone:
# libfaketime, used before, also shifted CLOCK_MONOTONIC, and Python's timed waits (Event.wait, Lock.acquire) then
# hung or spun, depending on the real date and the machine's uptime.
CHILD_ENV = "LIANXIN_CHILD_CLOCK"
CHILD_SITE = os.path.join(os.path.dirname(__file__), "testclock_site")


def child_env(env: dict) -> dict:
    """``env`` for a Python process a test starts, its clock at the test's "now" (and ticking from there)."""
    path = os.pathsep.join(p for p in (CHILD_SITE, env.get("PYTHONPATH", "")) if p)
    return {**env, "PYTHONPATH": path, CHILD_ENV: datetime.now(UTC).isoformat()}


@contextmanager
def at(moment: datetime, tick: bool = True):
    with time_machine.travel(moment, tick=tick):
        yield


def at_epoch():
    return at(EPOCH)
