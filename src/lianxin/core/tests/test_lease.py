"""core.worker in-process: the lease on running tasks, the retries through database errors, handlers safe to repeat."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from lianxin.accounts.models import User
from lianxin.core import worker as core_worker
from lianxin.core.importing import MAX_IMPORT_ATTEMPTS, run_import_job
from lianxin.core.models import ImportJob, ImportStatus, Notification, WorkerBeat
from lianxin.core.notify import notify
from lianxin.core.worker import LOST, MAX_ATTEMPTS, Backoff, LeaseWorker, requeue_abandoned

pytestmark = pytest.mark.django_db


@task()
def noop() -> str:
    return "ok"


def running(worker_ids: list[str], started_ago=timedelta(minutes=5)) -> DBTaskResult:
    result = noop.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING", worker_ids=worker_ids,
                                                      started_at=timezone.now() - started_ago)
    return DBTaskResult.objects.get(pk=result.id)


def beat(worker_id: str, ago: timedelta) -> None:
    now = timezone.now()
    WorkerBeat.objects.create(worker_id=worker_id, started_at=now - timedelta(hours=1), beat_at=now - ago)


def make_worker(**kw) -> LeaseWorker:
    args = {"queue_names": ["*"], "interval": 0, "batch": True, "backend_name": "default", "startup_delay": False,
            "max_tasks": None, "worker_id": "w-test", "excluded_queue_names": []}
    return LeaseWorker(**{**args, **kw})


def test_a_task_of_a_live_worker_is_left_alone_one_of_a_dead_one_is_queued_again(settings):
    settings.WORKER_LEASE_SECONDS = 60
    beat("alive", timedelta(seconds=10))
    beat("dead", timedelta(seconds=90))
    mine, lost, orphan = running(["alive"]), running(["dead"]), running(["never-beat"])
    assert requeue_abandoned() == 2
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses == {mine.pk: "RUNNING", lost.pk: "READY", orphan.pk: "READY"}
    assert DBTaskResult.objects.get(pk=lost.pk).started_at is None
    assert requeue_abandoned() == 0


def test_a_task_lost_max_attempts_times_is_failed_not_run_again(settings):
    row = running([f"dead-{i}" for i in range(MAX_ATTEMPTS)])
    assert requeue_abandoned() == 1
    row.refresh_from_db()
    assert row.status == "FAILED" and row.exception_class_path == LOST and row.finished_at is not None
    assert f"{MAX_ATTEMPTS} attempts" in row.traceback


def test_old_beats_are_forgotten():
    beat("gone", timedelta(days=2))
    requeue_abandoned()
    assert not WorkerBeat.objects.exists()


def test_the_backoff_doubles_to_its_cap_and_resets():
    b = Backoff(first=0.5, cap=4)
    assert [b.failed() for _ in range(6)] == [0.5, 1, 2, 4, 4, 4]
    assert b.recovered() is not None
    assert b.failed() == 0.5 and b.recovered() is not None and b.recovered() is None


@pytest.mark.django_db(transaction=True)  # as in a worker process: autocommit (inside the test's transaction,
# close_old_connections closes a PostgreSQL connection for good)
def test_the_worker_rides_out_database_errors_while_claiming_and_saving(monkeypatch):
    """The loop of a real LeaseWorker: the database refuses twice while claiming and twice while saving the
    result; the worker waits (backoff) and carries on; the task ends SUCCESSFUL, run once."""
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        assert len(sleeps) < 20, "the worker never got through to the database"

    monkeypatch.setattr(core_worker.time, "sleep", sleep)
    monkeypatch.setattr(core_worker, "close_connections", lambda: None)
    result = noop.enqueue()
    w = make_worker()
    claim, saves = w.claim_next, {"n": 0}

    def flaky_claim():
        if len(sleeps) < 2:
            raise OperationalError("server closed the connection unexpectedly")
        return claim()

    original_save = DBTaskResult.set_successful

    def flaky_save(self, value):
        saves["n"] += 1
        if saves["n"] <= 2:
            raise OperationalError("terminating connection due to administrator command")
        return original_save(self, value)

    monkeypatch.setattr(w, "claim_next", flaky_claim)
    monkeypatch.setattr(DBTaskResult, "set_successful", flaky_save)
    w.run()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL" and row.return_value == "ok" and len(row.worker_ids) == 1
    assert sleeps[:4] == [0.5, 1.0, 0.5, 1.0]  # two on claiming, then (after a success reset) two on saving
    assert not WorkerBeat.objects.exists()  # a clean stop takes its beat away


@task()
def loses_the_database() -> str:
    raise OperationalError("could not connect to server")


@pytest.mark.django_db(transaction=True)  # autocommit, as in a worker process (see above)
def test_a_task_the_database_failed_under_is_queued_again_not_failed(monkeypatch):
    monkeypatch.setattr(core_worker, "close_connections", lambda: None)
    result = loses_the_database.enqueue()
    make_worker(max_tasks=1).run()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "READY" and len(row.worker_ids) == 1


# --- handlers safe to repeat --------------------------------------------------------------------------------

def test_a_message_with_a_cause_goes_once_per_recipient():
    a, b = User.objects.create(username="a"), User.objects.create(username="b")
    assert len(notify([a], kind="t", title="x", cause="case.new:1")) == 1
    assert len(notify([a, b], kind="t", title="x", cause="case.new:1")) == 1  # only b is new
    assert len(notify([a, b], kind="t", title="x")) == 2  # no cause: as before
    assert Notification.objects.filter(cause="case.new:1").count() == 2


def test_a_new_case_told_twice_tells_its_staff_once(world):
    from lianxin.cases.models import Case
    from lianxin.cases.tasks import tell_new_case

    case = Case.objects.first()
    if case is None:
        pytest.skip("the test world has no case")
    n = tell_new_case.call(case.pk)
    before = Notification.objects.filter(cause=f"case.new:{case.pk}").count()
    assert tell_new_case.call(case.pk) == n
    assert Notification.objects.filter(cause=f"case.new:{case.pk}").count() == before == n


def test_an_import_whose_worker_died_too_often_ends_as_an_error_and_its_owner_is_told():
    user = User.objects.create(username="importer")
    job = ImportJob.objects.create(user=user, name="people", importer="x.Y", page_url="/people/import/",
                                   language="en", status=ImportStatus.RUNNING, attempts=MAX_IMPORT_ATTEMPTS - 1,
                                   data=b"xlsx")
    assert run_import_job.call(job.pk) == "error"
    job.refresh_from_db()
    assert job.status == ImportStatus.ERROR and job.data == b"" and job.finished_at is not None
    (note,) = Notification.objects.filter(recipient=user, kind="import")
    assert "stopped during it 2 times" in note.title
    assert run_import_job.call(job.pk) == "not queued"  # finished: never touched again
