"""The case engine's own demo (CasesConfig.seed_demo) after the demo cases: every type through the services."""

import random

import pytest
from django.apps import apps

from lianxin.cases import checker, keytasks
from lianxin.cases.models import Case, Finding, Milestone, SweepCheck
from lianxin.core import clock
from lianxin.demo import cases as demo_cases
from lianxin.demo import generator

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_key_tasks_inspections_and_the_winter_sweep_are_seeded_through_the_services():
    generator.seed_demo()
    demo_cases.generate_cases(80, random.Random(7))
    line = apps.get_app_config("cases").seed_demo(generator.module_context())
    assert "邹城" in line and "汶上" in line and "泗水" in line and "嘉祥" in line
    tasks = list(Case.objects.filter(type="task", milestones__isnull=False).distinct())
    assert {c.area.code for c in tasks} == {"370830"} and len(tasks) >= 5
    now = clock.now()
    colours = {keytasks.task_colour(list(c.milestones.all()), now) for c in tasks}
    assert {"blue", "red"} <= colours
    assert Milestone.objects.filter(done_at__isnull=False).exists()
    findings = Case.objects.filter(pk__in=Finding.objects.values("case_id"))
    assert {c.area.code for c in findings} == {"370831"}
    assert findings.filter(stage="closed", close_result="fixed").exists() and findings.filter(stage="handling")
    hazards = Case.objects.filter(pk__in=SweepCheck.objects.values("hazards"))
    assert hazards.exists() and all(c.area.code.startswith("370829") for c in hazards)
    assert hazards.filter(stage="closed").exists()
    assert appeals_in_zoucheng()
    assert not checker.check(Case.objects.all())


def appeals_in_zoucheng() -> bool:
    appeals = Case.objects.filter(type="appeal", area__path__startswith=_path("370883"), nature__gt="")
    return appeals.filter(stage="closed").exists() and appeals.filter(lead_org__kind="firm").exists()


def _path(code):
    from lianxin.areas.models import Area

    return Area.objects.get(code=code).path
