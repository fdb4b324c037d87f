"""The scale-test loader (`lianxin bulk_load_cases`) writes cases the engine itself would have written."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command

from lianxin.cases import checker, services, stats
from lianxin.cases.models import OPEN_STAGES, Case, CaseCounter, CaseEvent
from lianxin.core import clock


def test_bulk_load_is_consistent_and_counted(world, cat):
    before = set(Case.objects.values_list("pk", flat=True))
    out = StringIO()
    call_command("bulk_load_cases", n=300, seed=3, batch=120, check=300, stdout=out)
    assert "300 random cases consistent" in out.getvalue()

    loaded = Case.objects.exclude(pk__in=before)
    assert loaded.count() == 300
    assert checker.check(loaded) == []
    stages = set(loaded.values_list("stage", flat=True))
    assert {"closed", "refused"} <= stages and stages & set(OPEN_STAGES)
    assert CaseEvent.objects.filter(case__in=loaded).count() > 5 * 300
    # Points inside their grid, numbers continuing per prefix.
    for c in loaded[:50]:
        assert c.area.min_lng <= c.lng <= c.area.max_lng and c.area.min_lat <= c.lat <= c.area.max_lat
        counter = CaseCounter.objects.get(prefix=c.number[:10])
        assert int(c.number[10:]) <= counter.last

    now = clock.now()
    figures = stats.compute(now - timedelta(days=400), now + timedelta(minutes=1),
                            stats.Scope(area_path=world.areas["370800"].path))
    assert figures["reported"] == 300 + len(before)
    assert figures["closed"] == loaded.filter(stage="closed").count()

    # The services continue the numbering after the loaded cases.
    new = services.report(actor=world.users["resident"], category=cat, title="after the load",
                          area=world.areas["3708010101-G"]).case
    counter = CaseCounter.objects.get(prefix=new.number[:10])
    assert int(new.number[10:]) == counter.last
