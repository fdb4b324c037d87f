"""A long Excel import in a real browser: uploaded, queued, its progress bar moving under htmx polling,
imported by the background task, and the watching page taken to the list with the count."""

import io

import pytest
from openpyxl import Workbook

from lianxin.core.importing import Reporter, run_import_job
from lianxin.core.models import ImportJob, ImportStatus, Notification
from lianxin.people.models import Person
from lianxin.people.tests.test_import_export import GRID, id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROWS = 30


def workbook(path):
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "手机号", "身份证号", "人员类别", "区划代码"])
    for i in range(ROWS):
        ws.append([f"居民{i}", f"1370000{i:04d}", id_number(f"{i:03d}"), "resident", GRID])
    out = io.BytesIO()
    wb.save(out)
    path.write_bytes(out.getvalue())
    return path


def test_long_import_shows_progress_and_lands_on_the_list(new_page, world, sign_in, live_server, settings,
                                                           tmp_path):
    settings.IMPORT_SYNC_ROWS = 10
    before = Person.objects.count()
    page = new_page("desktop")
    sign_in(page, world.users["community_staff"].username, "/people/import/")
    page.set_input_files("input[name=file]", str(workbook(tmp_path / "居民.xlsx")))
    with page.expect_navigation():
        page.click("form[enctype] button[type=submit]")
    job = ImportJob.objects.get()
    assert page.url.endswith(f"/people/import/?job={job.pk}")
    page.wait_for_selector("#import-job progress")
    assert "等待后台任务" in page.inner_text("#import-job")
    assert Person.objects.count() == before

    # The worker takes it and reports progress: the bar follows without a reload.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    Reporter(job.pk)("check", ROWS, ROWS)
    Reporter(job.pk)("save", 12, ROWS)
    page.wait_for_selector("#import-job progress[value='40']")
    assert "正在保存" in page.inner_text("#import-job")

    # The real run (the page is away meanwhile: the test thread and the server share the SQLite test database).
    page.goto("about:blank")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    assert run_import_job.call(job.pk) == "done"
    assert Person.objects.count() == before + ROWS

    # A page watching the job when it ends goes to the list, with the count.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    page.goto(f"{live_server.url}/people/import/?job={job.pk}")
    page.wait_for_selector("#import-job progress")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE)
    page.wait_for_url(f"{live_server.url}/people/", timeout=10_000)
    assert f"{ROWS}" in page.inner_text("ul.messages")

    # The notification leads back to the finished import.
    note = Notification.objects.get(kind="import")
    page.goto(live_server.url + note.link)
    assert "导入完成" in page.inner_text("#import-job")
