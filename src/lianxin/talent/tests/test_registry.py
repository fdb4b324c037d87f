import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lianxin.core import clock
from lianxin.talent import services
from lianxin.talent.models import Measure, Talent

pytestmark = pytest.mark.django_db


def test_register_through_the_form(world, persona_client, tiers):
    client = persona_client("county_staff")
    data = {"name": "孔德明", "phone": "13905370001", "area": world.areas["3708010101"].pk,
            "tier": tiers["taishan"].pk, "field": "高分子材料", "industry": "materials",
            "employer": world.orgs["firm-3708010101"].pk, "intake_date": "2024-05-20", "intake_way": "full_time",
            "honours": "泰山产业领军人才", "key": "reg-1"}
    response = client.post(reverse("talent:create"), data)
    talent = Talent.objects.get(person__name="孔德明")
    assert response.status_code == 302 and talent.tier.code == "taishan" and talent.person.phone == "13905370001"
    client.post(reverse("talent:create"), data)  # retried
    assert Talent.objects.filter(person__name="孔德明").count() == 1
    # Town staff of another county see nothing of it.
    page = persona_client("town_staff").get(reverse("talent:list"), {"q": "孔德明"}).content.decode()
    assert "孔德明" in page  # town A1 holds 3708010101


def test_list_filters_and_flat_queries(world, persona_client, make_talent, django_assert_max_num_queries):
    for i in range(3):
        make_talent(tier="young", name=f"青年{i}", industry="biomedicine")
    client = persona_client("county_staff")
    page = client.get(reverse("talent:list"), {"tier": Talent.objects.filter(tier__code="young").first().tier_id})
    assert len(re.findall(r">青年\d<", page.content.decode())) == 3
    page = client.get(reverse("talent:list"), {"industry": "materials"})
    assert not re.findall(r">青年\d<", page.content.decode())
    with django_assert_max_num_queries(20):
        client.get(reverse("talent:list"))
    for i in range(10):
        make_talent(name=f"更多{i}")
    with django_assert_max_num_queries(20):
        client.get(reverse("talent:list"))


def test_measures_and_follow_ups(world, make_talent, persona_client):
    talent = make_talent(tier="national")
    today = clock.today()
    measure = services.add_measure(talent, actor=None, title="一事一议：实验室建设补助", decided_on=today)
    services.follow_up(measure, actor=None, note="已拨付首期", status="under_way")
    assert Measure.objects.get(pk=measure.pk).status == "under_way"
    from datetime import timedelta

    from django.core.exceptions import ValidationError
    with pytest.raises(ValidationError):
        services.follow_up(measure, actor=None, note="未来", on=today + timedelta(days=1))
    client = persona_client("county_staff")
    client.post(reverse("talent:follow_up_add", args=[talent.pk]),
                {"measure": measure.pk, "on": today.isoformat(), "note": "中期检查", "status": "done", "key": "f1"})
    assert measure.follow_ups.count() == 2
    page = client.get(reverse("talent:detail", args=[talent.pk])).content.decode()
    assert "中期检查" in page and "实验室建设补助" in page


def workbook(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "手机号", "区划代码", "人才层次", "专业领域", "产业", "引进时间", "引进方式"])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("t.xlsx", out.getvalue(),
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def test_import_all_or_nothing(world, persona_client):
    client = persona_client("county_staff")
    good = [["王立新", "13905370011", "3708010101", "泰山产业领军人才", "纺织", "纺织服装", "2023-04-01", "全职引进"],
            ["李晓梅", "13905370012", "3708010102", "young", "护理", "医疗卫生", "2025-09-01", "本土培养"]]
    bad = good + [["赵强", "12345", "3708020101", "没有的层次", "", "", "", ""]]
    response = client.post(reverse("talent:import"), {"file": workbook(bad)})
    assert response.status_code == 200
    assert not Talent.objects.filter(person__name__in=["王立新", "李晓梅"]).exists()
    text = response.content.decode()
    assert "没有的层次" in text  # the row's problem is listed
    response = client.post(reverse("talent:import"), {"file": workbook(good)})
    assert response.status_code == 302
    assert Talent.objects.get(person__name="李晓梅").tier.code == "young"
    assert Talent.objects.get(person__name="王立新").industry == "textiles"


def test_export(world, persona_client):
    response = persona_client("county_staff").get(reverse("talent:export"))
    ws = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    # County A's three communities, not county B's.
    assert len([n for n in names if n and "MK-" in n]) == 3
