"""Daily duty work: generate the day's obligations (early morning) and remind owners (morning)."""

from datetime import time

from django_tasks import task

from lianxin.core.scheduler import periodic


@periodic(daily_at=time(0, 30))
@task()
def generate_daily() -> int:
    from .services import generate_obligations

    return generate_obligations()


@periodic(daily_at=time(8, 0))
@task()
def remind_daily() -> int:
    from .services import generate_obligations, send_reminders

    generate_obligations()  # in case the early run was missed: reminders need today's obligations
    return send_reminders()
