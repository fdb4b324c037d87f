"""The monthly briefing: every morning the worker drafts last month's briefing of each subscribed area that has
none yet (so on the first of the month, or the first day the worker runs after it) and tells its subscribers."""

from datetime import time

from django_tasks import task

from lianxin.core.scheduler import periodic


@periodic(daily_at=time(6, 0))
@task()
def monthly_briefings() -> int:
    from .briefing import monthly

    return len(monthly())
