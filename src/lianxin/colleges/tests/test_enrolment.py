"""Fair enrolment: the lottery reproducible from its seed and unbiased over many draws, returning students
first, the waitlist promoted when a seat frees, late enrolment, eligibility; lessons as activities."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from lianxin.colleges import lottery, services
from lianxin.colleges.models import EnrolmentStatus as S
from lianxin.core import clock

pytestmark = pytest.mark.django_db


def test_lottery_is_a_function_of_its_seed():
    ids = list(range(1, 41))
    assert lottery.draw(ids, 10, "2026-09-01 #37") == lottery.draw(list(reversed(ids)), 10, "2026-09-01 #37")
    assert lottery.draw(ids, 10, "2026-09-01 #37") != lottery.draw(ids, 10, "2026-09-01 #38")
    winners, waiting = lottery.draw(ids, 10, "x")
    assert len(winners) == 10 and sorted(winners + waiting) == ids


def test_lottery_is_unbiased_over_many_draws():
    ids, seats, draws = list(range(20)), 5, 4000
    wins = Counter()
    first = Counter()
    for n in range(draws):
        winners, waiting = lottery.draw(ids, seats, f"seed-{n}")
        wins.update(winners)
        first[waiting[0]] += 1
    expected = draws * seats / len(ids)  # 1000 each
    # Each applicant's wins are binomial(4000, 0.25): sd ≈ 27; five sd either way, and a chi-square bound.
    assert all(abs(w - expected) < 140 for w in wins.values()), wins
    chi2 = sum((wins[i] - expected) ** 2 / expected for i in ids)
    assert chi2 < 45  # 19 degrees of freedom: p < 0.001 beyond 43.8
    assert max(first.values()) - min(first.values()) < 150  # the waitlist's order is fair too


@pytest.fixture
def klass(world):
    return world.samples["colleges.klass"]["3708010101"]


@pytest.fixture
def elders(world):
    from lianxin.people import services as people

    area = world.areas["3708010101"]
    return [people.create_person(actor=None, name=f"学员{i}", area=area, birth_date=date(1955, 1 + i % 12, 1),
                                 phone=f"1370000{i:04d}") for i in range(6)]


def test_draw_reproducible_and_waitlist_promoted(klass, elders):
    klass.seats = 3
    klass.save()
    for p in elders:
        assert services.apply(klass, p, actor=None).status == S.APPLIED
    winners, waiting = services.draw(klass, actor=None, seed="2026-08-20 公证 0375")
    assert len(winners) == 3 and [e.rank for e in waiting] == [1, 2, 3]
    again = lottery.draw([e.pk for e in klass.enrolments.all()], 3, f"2026-08-20 公证 0375:{klass.pk}")
    assert again[0] == [e.pk for e in winners] and again[1] == [e.pk for e in waiting]
    with pytest.raises(ValidationError):
        services.draw(klass, actor=None, seed="again")
    moved = services.withdraw(winners[0], actor=None)
    assert moved.pk == waiting[0].pk
    moved.refresh_from_db()
    assert moved.status == S.ENROLLED and moved.rank is None
    assert services.withdraw(waiting[2], actor=None) is None  # leaving the waitlist frees no seat
    # Late enrolment after the draw: no free seat, so the end of the waitlist.
    from lianxin.people import services as people

    late = people.create_person(actor=None, name="晚报名", area=klass.area, birth_date=date(1958, 3, 3))
    row = services.apply(klass, late, actor=None)
    assert row.status == S.WAITLISTED and row.rank == 3  # after the one still waiting (rank 2)


def test_returning_students_first_then_eligibility(klass, elders, world):
    from lianxin.colleges.models import Klass

    for p in elders[:2]:
        services.apply(klass, p, actor=None)
    services.draw(klass, actor=None, seed="s")
    nxt = services.create_class(actor=None, course=klass.course, campus=klass.campus, term="2027春", seats=2,
                                previous=klass, returning_until=clock.now() + timedelta(days=3), min_age=55,
                                max_age=80, needs_consent=True)
    with pytest.raises(ValidationError) as e:
        services.apply(nxt, elders[0], actor=None)
    assert e.value.code == "consent"
    row = services.apply(nxt, elders[0], actor=None, consent=True)
    assert row.status == S.ENROLLED and row.returning
    newcomer = services.apply(nxt, elders[3], actor=None, consent=True, on_behalf=True)
    assert newcomer.status == S.APPLIED and newcomer.on_behalf
    from lianxin.people import services as people

    young = people.create_person(actor=None, name="年轻人", area=klass.area, birth_date=date(2000, 1, 1))
    with pytest.raises(ValidationError) as e:
        services.apply(nxt, young, actor=None, consent=True)
    assert e.value.code == "age"
    assert Klass.objects.get(pk=nxt.pk).enrolments.count() == 2


def test_a_lesson_is_an_activity_listing_the_students(klass, elders):
    from lianxin.activities import services as activities

    for p in elders[:3]:
        services.apply(klass, p, actor=None)
    services.draw(klass, actor=None, seed="s")
    now = clock.now()
    lesson = services.schedule_lesson(klass, actor=None, starts_at=now - timedelta(minutes=30),
                                      ends_at=now + timedelta(minutes=60), topic="楷书入门")
    assert activities.attendance(lesson.activity)["expected"] == 3
    activities.sign_in(lesson.activity, elders[0], actor=None)
    with pytest.raises(ValidationError):
        activities.sign_in(lesson.activity, elders[5], actor=None)  # not a student of the class
    activities.mark_held(lesson.activity, actor=None)
    from lianxin.accounts.models import User
    from lianxin.colleges import stats

    admin = User.objects.get(username="p_admin")
    f = stats.figures(admin, [klass.area], clock.today() - timedelta(days=1), clock.today())[klass.area.pk]
    assert (f["lessons"], f["learner_times"], f["classes"], f["enrolments"]) == (1, 1, 1, 3)


def test_pages(persona_client, world, klass, elders):
    from django.urls import reverse

    c = persona_client("community_staff")
    c.post(reverse("colleges:enrol", args=[klass.pk]), {"phone": elders[0].phone})
    assert klass.enrolments.get().on_behalf
    c.post(reverse("colleges:draw", args=[klass.pk]), {"seed": "2026-08-20"})
    page = c.get(reverse("colleges:klass", args=[klass.pk])).content.decode()
    assert "2026-08-20" in page and elders[0].name in page
    assert c.get(reverse("colleges:list")).status_code == 200


def test_enrolment_import_all_or_nothing(persona_client, world, klass, elders):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from lianxin.colleges.imports import COLUMNS
    from lianxin.core.excel import write_workbook

    def upload(rows):
        content = write_workbook(COLUMNS, rows, title="x")
        return c.post(reverse("colleges:import"), {"file": SimpleUploadedFile("e.xlsx", content)})

    c = persona_client("community_staff")
    other = world.samples["colleges.klass"]["3708020101"]
    response = upload([[klass.pk, elders[0].phone, ""], [other.pk, elders[1].phone, ""]])
    assert response.status_code == 200 and not klass.enrolments.exists()  # the sibling county's class: nothing
    response = upload([[klass.pk, elders[0].phone, ""], [klass.pk, elders[1].phone, "是"]])
    assert response.status_code == 302
    assert sorted(e.person_id for e in klass.enrolments.filter(on_behalf=True)) == [elders[0].pk, elders[1].pk]
