"""Daily coverage work: every firm below the coverage rule gets its close-out item (销号), owned by its industry
party committee or its town; the scan is idempotent (a firm has at most one open item)."""

from datetime import time

from django_tasks import task

from lianxin.core.scheduler import periodic


@periodic(daily_at=time(1, 0))
@task()
def open_closeouts_daily() -> int:
    from .models import FirmProfile
    from .services import scan_closeouts

    return len(scan_closeouts(FirmProfile.objects.all(), actor=None))
