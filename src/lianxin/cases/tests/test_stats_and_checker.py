import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from lianxin.cases import services
from lianxin.cases.checker import check
from lianxin.cases.deadlines import Colour, colour_expression, colour_of
from lianxin.cases.models import Case
from lianxin.cases.stats import Scope, compute
from lianxin.core import clock

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))


def loop(case, u, passed=True):
    services.accept(case, actor=u["community_staff"])
    services.dispatch(case, actor=u["community_staff"], lead=u["grid_worker"])
    services.handler_accept(case, actor=u["grid_worker"])
    services.feedback(case, actor=u["grid_worker"], note="done")
    services.verify(case, actor=u["community_staff"], passed=passed, note="" if passed else "not yet")


def test_last_month_figures_do_not_change(world, reported, u, time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 12, 9, 0, tzinfo=SH), tick=False)
    done = reported()
    loop(done, u)
    services.rate(done, actor=u["resident"], stars=4)
    late = reported()
    services.accept(late, actor=u["community_staff"])
    services.dispatch(late, actor=u["community_staff"], lead=u["grid_worker"])
    refused = reported()
    services.refuse(refused, actor=u["community_staff"], reason="不属实")

    start, end = dt.datetime(2026, 10, 1, tzinfo=SH), dt.datetime(2026, 11, 1, tzinfo=SH)
    time_machine.move_to(dt.datetime(2026, 11, 3, 10, 0, tzinfo=SH), tick=False)
    october = compute(start, end)
    assert october["reported"] == 3 and october["accepted"] == 2 and october["refused"] == 1
    assert october["valid_report_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert october["handled"] == 1 and october["closed"] == 1
    assert october["overdue_at_end"] == 1  # the dispatched case ran past its 1-working-day limit
    assert october["due_to_handle"] == 2 and october["handle_rate"] == 0.5
    assert october["satisfaction_rate"] == 0.9

    services.handler_accept(late, actor=u["grid_worker"])
    services.feedback(late, actor=u["grid_worker"], note="finally")
    services.verify(late, actor=u["community_staff"], passed=True)
    assert compute(start, end) == october
    november = compute(end, dt.datetime(2026, 12, 1, tzinfo=SH))
    assert november["closed"] == 1 and november["closed_on_time"] == 0 and november["handled_on_time"] == 0


def test_scope_by_area_subtree(world, reported, u):
    start = timezone.now() - dt.timedelta(days=1)
    end = timezone.now() + dt.timedelta(days=1)
    a, b = Scope(area_path=world.areas["370801"].path), Scope(area_path=world.areas["370802"].path)
    before = compute(start, end, a)["reported"], compute(start, end, b)["reported"]
    reported()
    assert compute(start, end, a)["reported"] == before[0] + 1
    assert compute(start, end, b)["reported"] == before[1]


def test_colours_in_sql_match_python(world, reported, u, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 23, 9, 0, tzinfo=SH), tick=False)
    case = reported()  # accept limit: 4 working hours → due 13:30+... warn in the last hour
    case.refresh_from_db()
    for moment, colour in [(case.warn_at - dt.timedelta(minutes=1), Colour.BLUE), (case.warn_at, Colour.YELLOW),
                           (case.due_at, Colour.YELLOW), (case.due_at + dt.timedelta(seconds=1), Colour.RED)]:
        sql = Case.objects.annotate(colour=colour_expression(moment)).get(pk=case.pk).colour
        assert sql == colour_of(case, moment) == colour, moment
    loop(case, u)
    case.refresh_from_db()
    assert Case.objects.annotate(colour=colour_expression(timezone.now())).get(pk=case.pk).colour in (
        Colour.CLOSED_ON_TIME, Colour.CLOSED_LATE)


def test_checker_finds_tampering(world, reported, u, capsys):
    case = reported()
    loop(case, u, passed=False)
    assert check(Case.objects.all()) == []
    call_command("check_cases")
    Case.objects.filter(pk=case.pk).update(stage="closed", rework_count=0)
    problems = check(Case.objects.all())
    assert any("stage" in p for p in problems) and any("rework_count" in p for p in problems)
    with pytest.raises(Exception, match="problem"):
        call_command("check_cases")


def test_deadline_alerts_are_sent_once_per_colour(world, reported, u, time_machine,
                                                  django_capture_on_commit_callbacks):
    from lianxin.cases.tasks import raise_alerts

    time_machine.move_to(dt.datetime(2026, 11, 23, 9, 0, tzinfo=SH), tick=False)
    case = reported()
    case.refresh_from_db()
    assert raise_alerts() == 0
    time_machine.move_to(case.warn_at, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert raise_alerts() == 1 and raise_alerts() == 0
    time_machine.move_to(case.due_at + dt.timedelta(minutes=1), tick=False)
    assert raise_alerts() == 1 and raise_alerts() == 0
    assert list(case.events.filter(kind="alert").values_list("data__colour", flat=True)) == ["yellow", "red"]
    # one message per alert, written with the alert (a worker killed after it commits leaves both)
    assert u["community_staff"].notifications.filter(title__contains=case.number).count() == 2
    assert check(Case.objects.all()) == []


def test_statistics_export_is_a_real_workbook_in_scope(world, reported, u, client):
    import io

    from openpyxl import load_workbook

    loop(reported(), u)
    client.force_login(u["county_staff"], backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = "en"
    year = clock.today().year  # the year the loop above happened in (the test clock's)
    response = client.get("/cases/stats.xlsx", {"start": f"{year}-01-01", "end": f"{year + 1}-01-01"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r[-1] for r in sheet.iter_rows(min_row=2, values_only=True)}
    zone = dt.timezone(dt.timedelta(hours=8))
    want = compute(dt.datetime(year, 1, 1, tzinfo=zone), dt.datetime(year + 1, 1, 1, tzinfo=zone),
                   Scope(area_path=world.areas["370801"].path))
    assert want["closed"] == 1 and want["reported"] >= 1
    assert rows["Reported"] == want["reported"] and rows["Closed"] == 1 and rows["Handling rate"] == want["handle_rate"]
    assert client.get("/cases/stats.xlsx", {"area": world.areas["370802"].pk}).status_code == 404
    assert client.get("/cases/stats.xlsx", {"start": "2026-13-01"}).status_code == 404
    client.force_login(u["resident"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/cases/stats.xlsx").status_code == 403


def test_colour_filter_conditions_equal_the_sql_colour(world, reported, u, time_machine):
    from lianxin.cases.deadlines import colour_q

    time_machine.move_to(dt.datetime(2026, 11, 23, 9, 0, tzinfo=SH), tick=False)
    cases = [reported() for _ in range(4)]
    loop(cases[0], u)
    services.accept(cases[1], actor=u["community_staff"])
    services.refuse(cases[2], actor=u["community_staff"], reason="x")
    for moment in [dt.datetime(2026, 11, 23, 9, 30, tzinfo=SH), dt.datetime(2026, 11, 23, 17, 0, tzinfo=SH),
                   dt.datetime(2026, 11, 26, 9, 0, tzinfo=SH)]:
        annotated = Case.objects.annotate(colour=colour_expression(moment))
        for colour in (Colour.BLUE, Colour.YELLOW, Colour.RED, Colour.PARKED, Colour.CLOSED_ON_TIME,
                       Colour.CLOSED_LATE, Colour.DONE):
            assert set(annotated.filter(colour=colour).values_list("pk", flat=True)) == set(
                Case.objects.filter(colour_q(colour, moment)).values_list("pk", flat=True)), (moment, colour)
