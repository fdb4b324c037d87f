"""One report through the REST API (token, Idempotency-Key) runs a small, fixed number of queries: the path the
intake benchmark measures. An upper bound on the count, never a timing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from lianxin.api.models import ApiKey
from lianxin.cases import services
from lianxin.cases.models import Case, IdempotentCreate
from lianxin.cases.tasks import tell_new_case
from lianxin.core.models import Delivery, Notification

pytestmark = pytest.mark.django_db

# Key + owner, grants, grid (locate), case number, case, idempotency key, event, the staff notification's task row
# (8; categories, time limits, the calendar and the areas above the grid come from per-process snapshots), and
# BEGIN/COMMIT. Savepoints of the test transaction aside. (Before the intake work: 43 queries; then 14.) The key
# and the grid come from per-process caches too, and on PostgreSQL the five writes are one statement.
FIXED_QUERIES = 10
WRITES = 1 if connection.vendor == "postgresql" else 5
BODY = {"category": "0102", "description": "垃圾桶满了", "lng": 116.05, "lat": 35.2}


def test_one_api_report_runs_a_bounded_number_of_queries(client, world, django_capture_on_commit_callbacks):
    _key, raw = ApiKey.issue(owner=world.users["resident"], name="bench-like")
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {raw}"
    assert client.post("/api/cases/", BODY, content_type="application/json",
                       HTTP_IDEMPOTENCY_KEY="warm-up").status_code == 201
    with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/api/cases/", {**BODY, "lng": 116.0501}, content_type="application/json",
                               HTTP_IDEMPOTENCY_KEY="report-1")
    assert response.status_code == 201, response.content
    statements = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) <= FIXED_QUERIES, "\n".join(statements)
    assert len([s for s in statements if "INSERT" in s]) == WRITES, "\n".join(statements)
    assert not callbacks, "nothing is left for after the commit"
    assert not [s for s in statements if s.startswith("UPDATE")], "nothing is read back or rewritten"

    body = response.json()
    case = Case.objects.get(number=body["number"])
    assert body["events"][0]["kind"] == "report" and body["stage"] == case.stage == "reported"
    assert body["reporter"] == world.users["resident"].display_name
    # Answered from what was written: the same as reading the case back.
    assert body["available_moves"] == services.available_moves(world.users["resident"], case)
    assert body["due_at"] == client.get(f"/api/cases/{case.pk}/").json()["due_at"]
    assert case.events.count() == 1 and IdempotentCreate.objects.filter(key="report-1", case=case).exists()
    # The staff's notification was queued with the case; the worker writes their inbox rows and deliveries.
    queued = DBTaskResult.objects.get(task_path=tell_new_case.module_path, args_kwargs__args=[case.pk])
    assert queued.status == "READY"
    inbox = Notification.objects.filter(kind=f"case.{case.number}")
    assert not inbox.exists()
    assert tell_new_case.call(case.pk) == inbox.count() >= 1  # the world's community staff
    assert Delivery.objects.filter(notification__in=inbox).count() == inbox.count()

    with CaptureQueriesContext(connection) as retry:
        again = client.post("/api/cases/", {**BODY, "lng": 116.0501}, content_type="application/json",
                            HTTP_IDEMPOTENCY_KEY="report-1")
    assert again.status_code == 200 and again.json()["number"] == case.number
    assert Case.objects.filter(reporter=world.users["resident"], lng=116.0501).count() == 1
    # The retry is the same work rolled back at the key's unique constraint, then the first case is read back.
    assert len([q for q in retry.captured_queries if "SAVEPOINT" not in q["sql"]]) <= FIXED_QUERIES + 3
