import time

import pytest

from lianxin.core.clock import today
from lianxin.demo import generator
from lianxin.duties.models import DutyLog, Obligation
from lianxin.duties.status import Status, with_status
from lianxin.newgroups import demo, services
from lianxin.newgroups.models import CloseOutItem, FirmProfile, InstructorAssignment, MeasureDocument
from lianxin.orgs.models import Org

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # seeds a module demo


def test_demo_fills_every_screen():
    from lianxin.testing import ensure_reference_data

    from .. import testing

    ensure_reference_data()
    testing.ensure_categories()
    generator.seed_demo()
    started = time.monotonic()
    line = demo.seed(generator.module_context())
    print(f"{line} ({time.monotonic() - started:.1f} s)")
    assert line.startswith("newgroups:")
    firms = FirmProfile.objects.select_related("org")
    assert firms.count() == Org.objects.filter(kind="firm").count() > 30
    counties = {f.org.area.path.split("/")[2] for f in firms}
    assert len(counties) == len(generator.TOWNS)
    members = [f.formal_members for f in firms]
    assert min(members) == 0 and max(members) >= 3 and any(m in (1, 2) for m in members)
    rule = [services.firm_meets_rule(f) for f in firms]
    assert any(rule) and not all(rule)
    paths = {f.pk: [c.after for c in f.coverage_changes.order_by("on", "pk")] for f in firms}
    assert any(p[:3] == ["none", "joint", "own"] for p in paths.values())
    assert {s for p in paths.values() for s in p} == {"none", "joint", "own", "town"}
    closed = CloseOutItem.objects.filter(closed_on__isnull=False)
    assert closed.exists() and all(i.evidence_org_id and i.case.stage == "closed" for i in closed)
    assert CloseOutItem.objects.filter(closed_on__isnull=True).exists()
    first = min(f.registered_on for f in firms)
    assert (today() - first).days > 365
    assert InstructorAssignment.objects.values("instructor").distinct().count() >= 7
    # Lists show instructors by name: every one is a person (not a bare login such as i_370883_hy_2).
    instructors = {a.instructor for a in InstructorAssignment.objects.select_related("instructor__person")}
    assert all(u.person_id and u.display_name != u.username for u in instructors)
    logs = DutyLog.objects.filter(kind="firm_visit")
    assert logs.count() > 50 and logs.filter(late=True).exists()
    statuses = set(with_status(Obligation.objects.filter(plan__kind="firm_visit"), demo.at(today()))
                   .values_list("status", flat=True))
    assert {Status.FULFILLED, Status.MISSED} <= statuses
    assert set(MeasureDocument.objects.values_list("level", flat=True)) == {"city", "industry", "town"}
    assert MeasureDocument.objects.filter(file__isnull=True).count() == 0
