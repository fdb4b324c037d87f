"""The dispatch board, the case page and its move forms, through real requests."""

import pytest
from django.urls import reverse

from lianxin.cases import services
from lianxin.cases.models import Case, Stage

pytestmark = pytest.mark.django_db


def test_board_filters_sorts_and_shows_colours(world, reported, u, persona_client, django_assert_max_num_queries):
    for _ in range(3):
        reported()
    client = persona_client("community_staff")
    with django_assert_max_num_queries(25):
        response = client.get(reverse("cases:board"), {"open": "on"})
    assert response.status_code == 200
    page = response.content.decode()
    assert world.cases["3708010101"].number in page and world.cases["3708010102"].number not in page
    assert "alert-dot blue" in page
    found = client.get(reverse("cases:board"), {"q": world.cases["3708010101"].number}).context["page"]
    assert [c.pk for c in found] == [world.cases["3708010101"].pk]


def test_board_query_count_does_not_grow_with_rows(world, reported, u, persona_client, django_assert_num_queries):
    client = persona_client("community_staff")
    client.get(reverse("cases:board"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cases:board"))
    for _ in range(8):
        reported()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("cases:board"))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_case_page_offers_only_allowed_moves(world, reported, u, persona_client):
    case = reported()
    page = persona_client("community_staff").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:move", args=[case.pk, "accept"]) in page
    assert reverse("cases:move", args=[case.pk, "feedback"]) not in page
    page = persona_client("town_staff").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:move", args=[case.pk, "accept"]) not in page
    assert reverse("cases:move", args=[case.pk, "supervise"]) in page


def test_moves_through_the_page(world, reported, u, persona_client):
    case = reported()
    staff = persona_client("community_staff")
    url = reverse("cases:move", args=[case.pk, "accept"])
    staff.post(url, {"accept-version": case.version})
    case.refresh_from_db()
    assert case.stage == Stage.ACCEPTED
    # A stale form (old version) is refused with a message and changes nothing.
    response = staff.post(reverse("cases:move", args=[case.pk, "refuse"]),
                          {"refuse-version": 1, "refuse-note": "x"}, follow=True)
    assert Case.objects.get(pk=case.pk).stage == Stage.ACCEPTED
    assert any(m.level_tag == "error" for m in response.context["messages"])
    staff.post(reverse("cases:move", args=[case.pk, "dispatch"]),
               {"dispatch-version": case.version, "dispatch-lead": f"u{u['grid_worker'].pk}"})
    case.refresh_from_db()
    assert case.stage == Stage.DISPATCHED
    worker = persona_client("grid_worker")
    assert case.number in worker.get(reverse("cases:tasks")).content.decode()
    # A move this person may not make: 403 and nothing changes.
    response = worker.post(reverse("cases:move", args=[case.pk, "verify"]),
                           {"verify-version": case.version, "verify-passed": "1"}, follow=True)
    assert any(m.level_tag == "error" for m in response.context["messages"])
    assert Case.objects.get(pk=case.pk).stage == Stage.DISPATCHED


def test_bulk_accept_and_dispatch(world, reported, u, persona_client):
    cases = [reported(), reported()]
    staff = persona_client("community_staff")
    staff.post(reverse("cases:bulk"), {"ids": [c.pk for c in cases], "action": "accept"})
    assert set(Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("stage", flat=True)) == {Stage.ACCEPTED}


def test_supervision_notice_prints(world, reported, u, persona_client):
    case = reported()
    services.accept(case, actor=u["community_staff"])
    services.supervise(case, actor=u["town_staff"], note="请于今日办结")
    page = persona_client("town_staff").get(reverse("cases:notice", args=[case.pk])).content.decode()
    assert "请于今日办结" in page and case.number in page


def test_excel_export_of_the_filtered_board(world, reported, u, persona_client):
    import io

    from openpyxl import load_workbook

    response = persona_client("county_staff").get(reverse("cases:export"), {"stage": "reported"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    numbers = {r[0] for r in rows}
    assert world.cases["3708010101"].number in numbers and world.cases["3708020101"].number not in numbers


def test_confidential_reporter_never_shown_to_the_handling_unit(world, u, persona_client):
    from lianxin.cases.models import Category

    whistle = Category.objects.get(full_code="1101")
    case = services.report(actor=u["resident"], type="appeal", category=whistle, title="举报",
                           area=world.areas["3708010101-G"]).case
    services.accept(case, actor=u["community_staff"])
    services.dispatch(case, actor=u["community_staff"], lead=world.orgs["dept-370801"])
    name = u["resident"].display_name
    assert name in persona_client("community_staff").get(reverse("cases:detail", args=[case.pk])).content.decode()
    page = persona_client("department_handler").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert name not in page


def test_ready_phrases_for_the_moves_one_can_make(world, reported, persona_client):
    case = reported()
    page = persona_client("community_staff").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "不属于本平台受理范围" in page  # a refusal phrase: refusing is possible now
    assert "已清理完毕" not in page  # a feedback phrase: not this person's move now


def test_followers_never_see_the_reporters_name(world, reported, u, persona_client):
    case = reported()
    services.follow(case, user=world.accounts["3708010102"])
    name = u["resident"].display_name
    client = persona_client("community_staff")
    client.force_login(world.accounts["3708010102"], backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert case.number in page and name not in page
    assert name in persona_client("community_staff").get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_resident_is_refused_the_staff_screens(world, reported, persona_client):
    """A resident reaches their own cases by involvement, not the dispatch board, its bulk moves, exports or map."""
    case = reported()
    resident = persona_client("resident")
    for name in ("cases:board", "cases:export", "cases:map", "cases:stats_export"):
        assert resident.get(reverse(name)).status_code == 403, name
    assert resident.post(reverse("cases:bulk"), {"ids": [case.pk], "action": "accept"}).status_code == 403
    case.refresh_from_db()
    assert case.stage == Stage.REPORTED
    page = resident.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:my_reports") in page and f'href="{reverse("cases:board")}"' not in page
    staff_page = persona_client("community_staff").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f'href="{reverse("cases:board")}"' in staff_page


def test_handler_who_reported_handled_is_not_offered_parking_or_voiding(world, reported, u):
    case = reported()
    services.accept(case, actor=u["community_staff"])
    services.dispatch(case, actor=u["community_staff"], lead=u["grid_worker"])
    services.handler_accept(case, actor=u["grid_worker"])
    working = services.available_moves(u["grid_worker"], Case.objects.get(pk=case.pk))
    assert "park_request" in working and "void_request" in working
    services.feedback(case, actor=u["grid_worker"], note="已清理")
    done = services.available_moves(u["grid_worker"], Case.objects.get(pk=case.pk))
    assert "park_request" not in done and "void_request" not in done


def test_time_left_reads_as_people_say_it(world, reported, u):
    from datetime import timedelta

    from django.utils import translation

    from lianxin.cases.deadlines import duration_text, time_left

    with translation.override("en"):
        assert duration_text(45) == "45 minutes"
        assert duration_text(1723) == "28 h"
        assert duration_text(125) == "2 h 5 min"
        assert duration_text(17134) == "11 days"
        assert duration_text(3 * 1440 + 250) == "3 days 4 h"
    with translation.override("zh-hans"):
        assert duration_text(3 * 1440 + 250) == "3 天 4 小时"
    case = reported()
    assert time_left(case, case.due_at + timedelta(minutes=1723))["late"]
    assert not time_left(case, case.due_at - timedelta(minutes=5))["late"]
    with translation.override("zh-hans"):
        assert time_left(case, case.due_at + timedelta(days=3, hours=4))["text"] == "已超期 3 天 4 小时"
    case.parked = True
    assert time_left(case, case.due_at + timedelta(days=1)) is None  # the parked badge says it; no red time
