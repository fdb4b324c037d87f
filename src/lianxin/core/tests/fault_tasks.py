"""Tasks and an importer that hold still while a file exists, so that a test can kill the worker running them at a
known point (test_worker_faults.py). They run in the worker processes those tests start."""

import os
import time
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from lianxin.core.excel import Column, Importer, Row, write_workbook
from lianxin.core.notify import notify

ROWS = 300
HOLD_AT_ROW = 120


def _hold(hold: str) -> None:
    """Say "reached" (a file beside ``hold``), then wait while ``hold`` exists."""
    Path(f"{hold}.reached").touch()
    while os.path.exists(hold):
        time.sleep(0.05)


@task()
def announce(user_id: int, hold: str) -> str:
    """Its effect (one message to one account) is committed, then it holds: killed there, it has done its work but
    its result is not saved, so the next worker runs it again."""
    from lianxin.accounts.models import User

    notify([User.objects.get(pk=user_id)], kind="test", title="announced", cause=f"announce:{user_id}")
    _hold(hold)
    return "announced"


class SlowImporter(Importer):
    """Each row is an inbox message of the importing account; the import holds at HOLD_AT_ROW while saving."""

    columns = [Column("title", _("Title"), required=True)]
    sheet_title = "rows"
    hold = ""

    def check_row(self, row: Row, problems) -> None:
        pass

    def save_row(self, row: Row):
        from lianxin.core.models import Notification

        if row.number - 1 == HOLD_AT_ROW and os.environ.get("LIANXIN_FAULT_HOLD"):
            _hold(os.environ["LIANXIN_FAULT_HOLD"])
        return Notification.objects.create(recipient=self.user, kind="row", title=row.get("title"))


# Set-up of the worker's database (called in a child process on SQLite, in the test on PostgreSQL) -------------

def setup_announce() -> int:
    from lianxin.accounts.models import User

    user = User.objects.create(username="fault-announce")
    hold = os.environ["LIANXIN_FAULT_HOLD"]
    announce.enqueue(user.pk, hold)
    return user.pk


def setup_import() -> int:
    from lianxin.accounts.models import User
    from lianxin.core.importing import run_import_job
    from lianxin.core.models import ImportJob

    user = User.objects.create(username="fault-import")
    data = write_workbook(SlowImporter.columns, [[f"row {i}"] for i in range(ROWS)], title="rows")
    job = ImportJob.objects.create(user=user, name="fault", importer=f"{__name__}.SlowImporter",
                                   page_url="/fault/import/", language="en", total=ROWS, data=data)
    run_import_job.enqueue(job.pk)
    return job.pk
