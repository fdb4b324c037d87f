"""The whole loop in real browsers, one context per persona: a rider reports on a phone (location denied), community
staff accepts and dispatches on the desktop, the grid worker takes it and feeds back on a phone, staff verify,
the rider rates, and the statistics page counts the case. A second loop fails verification once (rework).

The network dropping during submission (the report arrives once) is test_quick_report.py's
test_network_drop_during_submission_reports_once.
"""

import os
from datetime import date, datetime, time, timedelta

import pytest

from lianxin.cases.models import Case, Stage
from lianxin.core.tests.browser.conftest import new_page  # noqa: F401
from lianxin.testing import tiny_jpeg

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMUNITY = "3708010101"
GRID = "3708010101-G"
# Counts that do not depend on the exact end moment of the period (unlike "overdue at the end").
COUNTS = ("reported", "accepted", "dispatched", "handled", "closed", "rework", "ratings")


def photo_file(tmp_path, name, color):
    path = tmp_path / name
    path.write_bytes(tiny_jpeg(color))
    return str(path)


def move_form(page, name):
    """The form of one available move on the case page, its <details> opened."""
    form = page.locator(f"form[action$='/move/{name}/']")
    assert form.count() == 1, f"move {name!r} is not offered: {page.inner_text('main')}"
    details = form.locator("xpath=ancestor::details[1]")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return form


def submit_move(page, name, fill=None):
    form = move_form(page, name)
    if fill:
        fill(form)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator("ul.messages li.error").count() == 0, page.inner_text("ul.messages")
    assert page.locator("ul.messages li.success").count() == 1, page.inner_text("main")


def feed_back(page, note, photo):
    def fill(form):
        form.locator("textarea[name='feedback-note']").fill(note)
        form.locator("input[name='feedback-photos']").set_input_files(photo)

    submit_move(page, "feedback", fill)


def verify(page, passed, note=""):
    def fill(form):
        form.locator("select[name='verify-passed']").select_option("1" if passed else "0")
        if note:
            form.locator("textarea[name='verify-note']").fill(note)

    submit_move(page, "verify", fill)


def stage_label(stage):
    from django.utils import translation

    with translation.override("zh-hans"):
        return str(stage.label)


def open_from_tasks(page, live_server, case, stage=None):
    page.goto(live_server.url + "/cases/tasks/")
    card = page.locator("a.task-card", has_text=case.number)
    assert card.count() == 1, page.inner_text("main")
    if stage:
        assert stage_label(stage) in card.inner_text(), card.inner_text()
    with page.expect_navigation():
        card.click()
    assert page.url.endswith(f"/cases/{case.pk}/")


def open_case(page, live_server, case):
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert case.number in page.inner_text("main")


def stats_period():
    """This month up to today included, as the statistics page takes it (end exclusive), and as compute() does."""
    from lianxin.core import clock
    from lianxin.workdays.calendar import tz

    today = clock.now().astimezone(tz()).date()
    start, end = date(today.year, today.month, 1), today + timedelta(days=1)
    return start, end


def computed(area, start, end):
    from lianxin.cases.stats import Scope, compute
    from lianxin.workdays.calendar import tz

    def at(d):
        return datetime.combine(d, time.min, tzinfo=tz())

    return compute(at(start), at(end), Scope(area_path=area.path))


def shown_figures(page):
    rows = page.locator("table.figures tr[data-figure]")
    return {rows.nth(i).get_attribute("data-figure"): rows.nth(i).locator("td.num").inner_text().strip()
            for i in range(rows.count())}


def events_of(case):
    return list(case.events.order_by("at", "pk").values_list("kind", flat=True))


def test_whole_loop_four_personas(phone, new_page, sign_in, world, live_server, tmp_path):  # noqa: F811
    community, grid = world.areas[COMMUNITY], world.areas[GRID]
    worker, staff, rider = world.users["grid_worker"], world.users["community_staff"], world.users["resident"]
    start, end = stats_period()
    before = computed(community, start, end)

    # 1. The rider reports on a phone with a photo; location denied, so address + area picker.
    rider_page = phone()
    sign_in(rider_page, rider.username, "/cases/report/")
    rider_page.set_input_files("#qr-photo", photo_file(tmp_path, "before.jpg", (120, 90, 30)))
    rider_page.wait_for_selector("#qr-preview:not([hidden])")
    rider_page.wait_for_selector("#qr-manual:not([hidden])")
    rider_page.fill("#qr-address", "甲一社区南门 whole-loop")
    rider_page.fill("#qr-grid-q", "甲一社区")
    rider_page.locator("#qr-grid-results button", has_text=grid.name).click()
    assert rider_page.input_value("#qr-area") == str(grid.pk)
    rider_page.fill("#qr-cat-q", "垃圾")
    rider_page.click("label.qr-cat:has-text('暴露垃圾')")
    rider_page.fill("#qr-desc", "南门垃圾堆 whole-loop-test\n已经三天了")
    rider_page.check("#qr-consent")
    rider_page.click("#qr-send")
    rider_page.wait_for_selector("#qr-status.ok", timeout=30_000)
    case = Case.objects.get(description__startswith="南门垃圾堆 whole-loop-test")
    assert case.title == "南门垃圾堆 whole-loop-test" and case.number in rider_page.inner_text("#qr-status")
    assert case.area == grid and case.lng is None and case.reporter == rider and case.stage == Stage.REPORTED
    assert case.events.get(kind="report").attachments.count() == 1

    # 2. Community staff find it on the dispatch board by its number, accept it and dispatch it to the worker.
    staff_page = new_page("desktop")
    sign_in(staff_page, staff.username, "/cases/")
    staff_page.fill("#id_q", case.number)
    with staff_page.expect_navigation():
        staff_page.click("form.filters button")
    with staff_page.expect_navigation():
        staff_page.click(f"table.board a:text-is('{case.number}')")
    assert staff_page.url.endswith(f"/cases/{case.pk}/")
    submit_move(staff_page, "accept")
    submit_move(staff_page, "dispatch",
                lambda form: form.locator("select[name='dispatch-lead']").select_option(f"u{worker.pk}"))
    case.refresh_from_db()
    assert case.stage == Stage.DISPATCHED

    # 3. The grid worker, on a phone, finds it among their tasks, takes it and reports it handled.
    worker_page = new_page("phone")
    sign_in(worker_page, worker.username, "/cases/tasks/")
    open_from_tasks(worker_page, live_server, case, stage=Stage.DISPATCHED)
    submit_move(worker_page, "handler_accept")
    feed_back(worker_page, "已清运 whole-loop", photo_file(tmp_path, "after.jpg", (30, 160, 60)))
    case.refresh_from_db()
    assert case.stage == Stage.VERIFYING
    assert worker_page.locator("img.photo").count() == 2  # "before" and "after"

    # 4. Staff verify: fixed.
    open_case(staff_page, live_server, case)
    verify(staff_page, passed=True)
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED

    # 5. The rider rates it on "my reports".
    rider_page.goto(live_server.url + "/cases/mine/")
    entry = rider_page.locator(f"#case-{case.number}")
    entry.locator("input[name=fixed][value=yes]").check()
    entry.locator("input[name=stars][value='5']").check()
    with rider_page.expect_navigation():
        entry.locator("form[action$='/my/rate/'] button[type=submit]").click()
    assert rider_page.locator("ul.messages li.success").count() == 1
    case.refresh_from_db()
    assert case.rating == 5

    assert events_of(case) == ["report", "accept", "dispatch", "handler_accept", "feedback", "verify", "rate"]
    assert case.events.get(kind="feedback").attachments.count() == 1
    assert case.events.get(kind="verify").data["passed"] is True
    assert case.events.get(kind="rate").data["stars"] == 5

    # 6. The statistics page of the community, for this month, counts this case.
    after = computed(community, start, end)
    assert after["closed"] == before["closed"] + 1 and after["reported"] == before["reported"] + 1
    staff_page.goto(f"{live_server.url}/cases/stats/?area={community.pk}&start={start}&end={end}")
    figures = shown_figures(staff_page)
    assert {k: figures[k] for k in COUNTS} == {k: str(after[k]) for k in COUNTS}
    assert int(figures["reported"]) >= 1 and int(figures["closed"]) >= 1
    assert staff_page.inner_text("#kf-closed").strip() == str(after["closed"])
    assert staff_page.inner_text("#kf-reported").strip() == str(after["reported"])


def test_failed_verification_sends_the_case_back_for_rework(new_page, sign_in, world, live_server,  # noqa: F811
                                                            tmp_path):
    from lianxin.cases import services
    from lianxin.cases.models import Category

    grid = world.areas[GRID]
    worker, staff, rider = world.users["grid_worker"], world.users["community_staff"], world.users["resident"]
    case = services.report(actor=rider, category=Category.objects.get(full_code="0102"),
                           title="路灯下垃圾 rework-test", area=grid).case
    services.accept(case, actor=staff)
    services.dispatch(case, actor=staff, lead=worker)

    worker_page = new_page("phone")
    sign_in(worker_page, worker.username, "/cases/tasks/")
    open_from_tasks(worker_page, live_server, case)
    submit_move(worker_page, "handler_accept")
    feed_back(worker_page, "清了一半 rework-1", photo_file(tmp_path, "after1.jpg", (30, 160, 60)))
    worker_page.goto(live_server.url + "/cases/tasks/")
    assert stage_label(Stage.VERIFYING) in worker_page.locator("a.task-card", has_text=case.number).inner_text()

    staff_page = new_page("desktop")
    sign_in(staff_page, staff.username, f"/cases/{case.pk}/")
    verify(staff_page, passed=False, note="还有垃圾没清完 rework-reason")
    case.refresh_from_db()
    assert case.stage == Stage.HANDLING and case.rework_count == 1
    assert "还有垃圾没清完 rework-reason" in staff_page.inner_text("ol.timeline")

    # Back on the worker's list as rework; feedback is offered again right away.
    open_from_tasks(worker_page, live_server, case, stage=Stage.HANDLING)
    assert "还有垃圾没清完 rework-reason" in worker_page.inner_text("ol.timeline")
    feed_back(worker_page, "全部清运 rework-2", photo_file(tmp_path, "after2.jpg", (20, 200, 90)))
    case.refresh_from_db()
    assert case.stage == Stage.VERIFYING

    open_case(staff_page, live_server, case)
    verify(staff_page, passed=True)
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED and case.close_result == "fixed" and case.rework_count == 1
    assert events_of(case) == ["report", "accept", "dispatch", "handler_accept", "feedback", "verify", "feedback",
                               "verify"]
    assert [e.data["passed"] for e in case.events.filter(kind="verify").order_by("at", "pk")] == [False, True]
    assert [e.attachments.count() for e in case.events.filter(kind="feedback")] == [1, 1]
    worker_page.goto(live_server.url + "/cases/tasks/")
    assert case.number not in worker_page.inner_text("main")
