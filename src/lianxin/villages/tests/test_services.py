"""The village services: hand-over between terms, must-visit duties and coverage, the survey's history,
answers turned into cases, report review and the figures."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lianxin.cases.models import Case, Category
from lianxin.core import clock
from lianxin.duties import queries as duty_queries
from lianxin.duties.status import with_status
from lianxin.villages import services
from lianxin.villages.models import (
    Household,
    MustVisitCategory,
    ResearchReport,
    SecretaryTerm,
    SurveyAnswer,
    SurveyItem,
    Visit,
)
from lianxin.villages.stats import figures

from .conftest import HOME, make_user

pytestmark = pytest.mark.django_db


def event_category():
    return Category.objects.filter(parent__isnull=False, is_active=True, case_types__contains="event") \
        .order_by("full_code").first()


def test_hand_over_keeps_the_village_records_and_moves_the_duties(world, village, categories, questions):
    first = make_user(world, "fs_first_01", "first_secretary")
    term = world.samples["villages.secretaryterm"][HOME]
    term = services.hand_over(term, actor=None, secretary=first.person)
    household = services.create_household(actor=None, area=village, name="王德福",
                                          categories=[categories["lifted"]])
    plan = services.running_plans(household).get()
    assert plan.carer == first  # owed by the secretary in office
    visit = services.log_visit(actor=first, household=household, answers={questions["hardship"]: "看病难"})
    assert visit.term == term

    second = make_user(world, "fs_second_01", "first_secretary")
    new_term = services.hand_over(term, actor=world.users["org_department"], secretary=second.person,
                                  note="台账已移交")
    term.refresh_from_db()
    assert term.end_on == clock.today() and new_term.previous == term and new_term.end_on is None
    assert SecretaryTerm.objects.filter(area=village, end_on__isnull=True).get() == new_term
    # The village keeps its households and visits; the old visits keep their term.
    assert Household.objects.filter(area=village, pk=household.pk).exists()
    assert Visit.objects.get(pk=visit.pk).term == term
    # The running duties pass to the new secretary with their open obligations.
    plan.refresh_from_db()
    assert plan.carer == second
    open_obs = duty_queries.obligations_of(household, kind=services.MUST_VISIT).filter(fulfilled_by__isnull=True,
                                                                                     due_at__gt=clock.now())
    assert all(ob.owner in (None, second) for ob in open_obs)
    later = services.log_visit(actor=second, household=household, answers={questions["dispute"]: "无"})
    assert later.term == new_term
    # A village has one secretary in office; an ended term is not handed over again.
    with pytest.raises(ValidationError):
        services.start_term(actor=None, area=village, secretary=first.person, level="city")
    with pytest.raises(ValidationError):
        services.hand_over(term, actor=None, secretary=first.person)


def test_must_visit_duty_follows_the_categories(world, village, categories):
    household = services.create_household(actor=None, area=village, name="李秀英")
    assert not services.running_plans(household).exists()  # not a must-visit household
    services.update_household(household, actor=None, categories=[categories["petition"]])
    plan = services.running_plans(household).get()
    assert plan.frequency == "quarterly" and plan.kind == services.MUST_VISIT
    MustVisitCategory.objects.filter(code="representative").update(frequency="monthly")
    services.update_household(household, actor=None, categories=[categories["petition"],
                                                                 MustVisitCategory.objects.get(code="representative")])
    assert services.running_plans(household).get().frequency == "monthly"
    services.update_household(household, actor=None, categories=[])
    assert not services.running_plans(household).exists()


def test_coverage_matrix_and_duties(world, village, categories, questions, secretary, client):
    from .conftest import login

    lifted = services.create_household(actor=None, area=village, name="张建国",
                                       categories=[categories["lifted"], categories["party_cadre"]])
    services.create_household(actor=None, area=village, name="赵普通")  # not must-visit: not in the matrix
    profile = world.samples["villages.villageprofile"][HOME]
    login(client, secretary)

    def matrix():
        response = client.get(f"/villages/{profile.pk}/coverage/")
        assert response.status_code == 200
        return response.context

    before = matrix()
    names = [r["household"].name for r in before["rows"]]
    assert "张建国" in names and "赵普通" not in names
    row = next(r for r in before["rows"] if r["household"] == lifted)
    assert row["visits"] == 0 and row["status"] in ("blue", "yellow")
    by_code = {s["category"].code: s for s in before["summary"]}
    assert by_code["lifted"]["households"] == 1 and by_code["lifted"]["visited"] == 0

    services.log_visit(actor=secretary, household=lifted, answers={questions["development"]: "想搞大棚"})
    after = matrix()
    row = next(r for r in after["rows"] if r["household"] == lifted)
    assert row["visits"] == 1 and row["status"] == "fulfilled"
    by_code = {s["category"].code: s for s in after["summary"]}
    # Only this household: the world's household is in no must-visit category.
    assert by_code["lifted"]["visited"] == 1 and by_code["party_cadre"]["visited"] == 1
    assert after["n_visited"] == before["n_visited"] + 1
    # The secretary's phone list no longer offers the visited household.
    mine = client.get("/villages/mine/").context["rows"]
    assert lifted not in [h for _ob, h in mine]


def test_an_unvisited_must_visit_household_becomes_overdue(world, village, categories, time_machine):
    time_machine.move_to(clock.now() - timedelta(days=120), tick=False)
    household = services.create_household(actor=None, area=village, name="孙老汉", categories=[categories["lifted"]])
    time_machine.move_to(clock.now() + timedelta(days=120), tick=False)
    from lianxin.duties.services import generate_obligations

    generate_obligations(until=clock.today())
    statuses = list(with_status(duty_queries.obligations_of(household, kind=services.MUST_VISIT), clock.now())
                    .order_by("period_start").values_list("status", flat=True))
    assert statuses[0] in ("red", "missed") and len(statuses) >= 2


def test_survey_history_and_gaps(world, village):
    item = SurveyItem.objects.get(code="collective_income")
    strong = SurveyItem.objects.get(code="strong_base")
    first = world.samples["villages.surveyanswer"][HOME]
    assert first.meets is False  # 86,000 yuan is short of the 100,000 target
    later = services.answer_survey(actor=world.users["community_staff"], area=village, item=item,
                                   number=Decimal("120000"), at=clock.now() + timedelta(seconds=1))
    services.answer_survey(actor=None, area=village, item=strong, yes=False, measures="换届后配强班子")
    answers = SurveyAnswer.objects.filter(area=village)
    current = services.current_answers(answers)
    assert current[(village.pk, item.pk)] == later and later.meets
    # The history keeps both answers of the item, newest first.
    assert list(answers.filter(item=item).order_by("-answered_at")) == [later, first]
    rows = services.gaps([village], answers, [item, strong])
    assert [a.item for a in rows[0]["short"]] == [strong] and rows[0]["missing"] == []
    with pytest.raises(ValidationError):
        services.answer_survey(actor=None, area=village, item=strong)


def test_an_answer_becomes_one_case(world, village, categories, questions, secretary):
    household = services.create_household(actor=None, area=village, name="周大娘", categories=[categories["lifted"]])
    visit = services.log_visit(actor=secretary, household=household,
                               answers={questions["hardship"]: "房屋漏雨需要维修", questions["opinion"]: "满意"})
    answer = visit.answers.get(question=questions["hardship"])
    case = services.answer_to_case(answer, actor=secretary, category=event_category())
    assert case.source == "visit" and case.area == village and "房屋漏雨" in case.title
    assert services.answer_to_case(answer, actor=secretary, category=event_category()) == case
    assert Case.objects.filter(source="visit", area=village).count() == 1
    values = figures(secretary, [village], clock.today(), clock.today())[village.pk]
    assert values["problems_filed"] == 1 and values["problems_solved"] == 0


def test_report_review(world, village):
    author = world.users["community_staff"]
    report = services.create_dossier(ResearchReport, actor=author, area=village, title="关于土地流转的调研",
                                     start_on=clock.today())
    assert report.owner == author and report.review == "submitted"
    with pytest.raises(PermissionDenied):
        services.review_report(report, actor=author, approve=True)
    with pytest.raises(ValidationError):
        services.review_report(report, actor=world.users["town_staff"], approve=False)
    report = services.review_report(report, actor=world.users["town_staff"], approve=False, note="补充数据")
    assert report.review == "returned"
    report = services.update_dossier(report, actor=author, summary="已补充")
    assert report.review == "submitted"
    report = services.review_report(report, actor=world.users["town_staff"], approve=True)
    assert report.review == "approved"
    with pytest.raises(ValidationError):
        services.update_dossier(report, actor=author, summary="再改")


def test_figures_per_area(world, village, categories, questions):
    admin = world.users["administrator"]
    today = clock.today()
    town, county = world.areas["37080101"], world.areas["370801"]
    before = figures(admin, [village, town, county], today, today)
    h = services.create_household(actor=None, area=village, name="吴能人", categories=[categories["capable"]])
    services.log_visit(actor=admin, household=h, answers={questions["development"]: "合作社"})
    services.log_visit(actor=admin, household=h, answers={questions["livelihood"]: "还行"})
    after = figures(admin, [village, town, county], today, today)
    for area in (village, town, county):
        assert after[area.pk]["visits"] == before[area.pk]["visits"] + 2
        assert after[area.pk]["households_visited"] == before[area.pk]["households_visited"] + 1
    assert after[village.pk]["must_visit_coverage"] == 1.0
    assert after[county.pk]["plans"] == 0  # the world's plans are dated a month ago
    month = figures(admin, [county], today - timedelta(days=31), today)[county.pk]
    assert (month["plans"], month["projects"], month["reports"]) == (3, 3, 3)
    assert month["villages"] == 3 and month["villages_income_target"] == 0
