"""Imported at start-up by every Python process a test starts (``testclock.child_env`` puts this folder first on
PYTHONPATH): the process's clock starts at the test's "now" and ticks from there, like the test's own."""

import os

if os.environ.get("LIANXIN_CHILD_CLOCK"):
    from datetime import datetime

    from lianxin import testclock

    testclock.start(datetime.fromisoformat(os.environ["LIANXIN_CHILD_CLOCK"]))
