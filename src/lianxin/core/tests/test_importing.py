"""Long Excel imports run in the background with progress (core.importing), still all or nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from lianxin.core import clock
from lianxin.core.importing import Reporter, purge_import_jobs, run_import_job
from lianxin.core.models import ImportJob, ImportStatus, Notification
from lianxin.people.imports import PeopleImporter
from lianxin.people.models import Person
from lianxin.people.tests.test_import_export import GRID, id_number, read, upload, xlsx

pytestmark = pytest.mark.django_db
URL = reverse("people:import")


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    settings.IMPORT_SYNC_ROWS = 5


@pytest.fixture
def staff(persona_client):
    return persona_client("community_staff")


def rows(n, bad=()):
    out = []
    for i in range(n):
        phone = "12345" if i in bad else f"1370000{i:04d}"
        out.append([f"居民{i}", phone, id_number(f"{i:03d}"), "resident", GRID, "", "否", ""])
    return out


def start(client, n, django_capture_on_commit_callbacks, bad=()):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, xlsx(rows(n, bad)))
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response["Location"] == f"{URL}?job={job.pk}"
    return job


def test_a_long_file_is_queued_then_imported_by_the_worker(staff, world, django_capture_on_commit_callbacks):
    before = Person.objects.count()
    job = start(staff, 12, django_capture_on_commit_callbacks)
    assert (job.status, job.total, job.name, job.language) == ("queued", 12, "people", "en")
    assert Person.objects.count() == before  # nothing yet: the worker imports it
    queued = DBTaskResult.objects.get(task_path=run_import_job.module_path)
    assert queued.args_kwargs["args"] == [job.pk]
    assert queued.priority > 0  # ahead of queued notifications: someone is watching the page
    page = staff.get(f"{URL}?job={job.pk}").content.decode()
    assert "Waiting for the background worker" in page and 'hx-trigger="every 1s"' in page

    assert run_import_job.call(job.pk) == "done"
    job.refresh_from_db()
    assert (job.status, job.created_count, bytes(job.data), job.report) == ("done", 12, b"", None)
    assert Person.objects.count() == before + 12
    note = Notification.objects.get(recipient=world.users["community_staff"], kind="import")
    assert note.title == "Import finished: 12 rows imported." and note.link == f"{URL}?job={job.pk}"
    # The page that watched it goes where a short import goes; opened later, it says what happened.
    watched = staff.get(f"{URL}?job={job.pk}", headers={"HX-Request": "true"})
    assert watched["HX-Redirect"] == reverse("people:list")
    page = staff.get(f"{URL}?job={job.pk}").content.decode()
    assert "Import finished" in page and "hx-trigger" not in page
    # Running the task again (a retried task) imports nothing more.
    assert run_import_job.call(job.pk) == "not queued"
    assert Person.objects.count() == before + 12


def test_a_long_file_with_bad_rows_imports_nothing_and_keeps_the_report(staff, world,
                                                                        django_capture_on_commit_callbacks):
    before = Person.objects.count()
    job = start(staff, 9, django_capture_on_commit_callbacks, bad={2, 7})
    assert run_import_job.call(job.pk) == "failed"
    job.refresh_from_db()
    assert (job.status, job.bad_rows, job.created_count) == ("failed", 2, 0)
    assert [(row, column) for row, column, _m in job.problems] == [(4, "Mobile"), (9, "Mobile")]
    assert Person.objects.count() == before
    assert "2 rows have problems" in Notification.objects.get(kind="import").title
    response = staff.get(f"{URL}?job={job.pk}", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Nothing was imported" in html and "hx-trigger" not in html
    assert [(e.row, e.column) for e in response.context["errors"]] == [(4, "Mobile"), (9, "Mobile")]
    report = read(staff.get(f"{URL}?report=1&job={job.pk}")).active
    assert report.max_row == 10 and "Mobile" in report.cell(4, 9).value
    assert read(staff.get(f"{URL}?report=1")).active.max_row == 10  # the last report of this import


def test_progress_is_shown_while_it_runs(staff, world, django_capture_on_commit_callbacks):
    job = start(staff, 40, django_capture_on_commit_callbacks)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, started_at=clock.now())
    report = Reporter(job.pk)
    report("check", 40, 40)
    report("save", 10, 40)  # a new phase is always written
    html = staff.get(f"{URL}?job={job.pk}", headers={"HX-Request": "true"}).content.decode()
    assert html.startswith("\n<div id=\"import-job\"") or html.lstrip().startswith('<div id="import-job"')
    assert "Saving rows: 10 of 40" in html and 'value="25"' in html and 'hx-trigger="every 1s"' in html
    report("save", 11, 40)  # throttled: within half a second of the last write
    assert "10 of 40" in staff.get(f"{URL}?job={job.pk}", headers={"HX-Request": "true"}).content.decode()


def test_the_worker_reports_each_phase_in_order(staff, world, django_capture_on_commit_callbacks, monkeypatch):
    seen = []
    monkeypatch.setattr(Reporter, "__call__", lambda self, phase, done, total: seen.append((phase, done, total)))
    job = start(staff, 6, django_capture_on_commit_callbacks)
    run_import_job.call(job.pk)
    assert seen == [("check", i, 6) for i in range(1, 7)] + [("save", i, 6) for i in range(1, 7)]


def test_an_unexpected_error_stops_it_with_nothing_imported(staff, world, django_capture_on_commit_callbacks,
                                                            monkeypatch):
    before = Person.objects.count()
    calls = []

    def save_then_break(self, row):
        calls.append(row.number)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(self, row)

    original = PeopleImporter.save_row
    monkeypatch.setattr(PeopleImporter, "save_row", save_then_break)
    job = start(staff, 8, django_capture_on_commit_callbacks)
    assert run_import_job.call(job.pk) == "error"
    assert Person.objects.count() == before  # the two rows saved before the error were rolled back
    page = staff.get(f"{URL}?job={job.pk}").content.decode()
    assert "The import stopped" in page
    assert "unexpected error" in Notification.objects.get(kind="import").title


def test_jobs_are_personal(persona_client, world, django_capture_on_commit_callbacks):
    staff = persona_client("community_staff")
    job = start(staff, 6, django_capture_on_commit_callbacks)
    other = persona_client("administrator")
    assert other.get(f"{URL}?job={job.pk}").status_code == 404
    assert other.get(f"{URL}?job=abc").status_code == 404
    assert other.get(f"{URL}?report=1&job={job.pk}").status_code == 404


def test_a_short_file_is_imported_at_once(staff, world):
    before = Person.objects.count()
    response = upload(staff, xlsx(rows(5)))
    assert response.status_code == 302 and response["Location"] == reverse("people:list")
    assert Person.objects.count() == before + 5 and not ImportJob.objects.exists()


def test_a_file_level_problem_is_answered_at_the_upload(staff, world):
    response = upload(staff, xlsx([], headers=["Name", "Mobile", "Area code"]))
    assert "no data rows" in " ".join(response.context["form"].errors["file"])
    assert not ImportJob.objects.exists()


def test_a_waiting_job_says_the_worker_may_be_down(staff, world, django_capture_on_commit_callbacks):
    job = start(staff, 6, django_capture_on_commit_callbacks)
    ImportJob.objects.filter(pk=job.pk).update(created_at=clock.now() - timedelta(minutes=3))
    assert "background worker may not be running" in staff.get(f"{URL}?job={job.pk}").content.decode()


def test_old_jobs_are_purged(staff, world, django_capture_on_commit_callbacks):
    job = start(staff, 6, django_capture_on_commit_callbacks)
    run_import_job.call(job.pk)
    assert purge_import_jobs.call() == 0
    ImportJob.objects.filter(pk=job.pk).update(finished_at=clock.now() - timedelta(days=8))
    assert purge_import_jobs.call() == 1 and not ImportJob.objects.exists()
