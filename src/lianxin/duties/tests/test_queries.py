"""The read API (plans, obligations, logs and compliance of subjects) and the subject protocol's shared
implementation."""

import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

import lianxin
from lianxin.duties import queries
from lianxin.duties import services as duties
from lianxin.duties.models import DutyLog, Obligation
from lianxin.duties.subjects import SubjectVia, subject_q
from lianxin.people.models import Person

from .conftest import at

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def cared(world, retiree, carer, travel):
    """Three people with a monthly contact and a quarterly visit since January, each visited once in February,
    and a branch with monthly meetings; on 10 March 2026."""
    travel(at(2026, 2, 20))
    people = [retiree() for _ in range(3)]
    for person in people:
        duties.create_plan(actor=None, subject=person, kind="contact", frequency="monthly", carer=carer,
                           start_date=D(2026, 1, 1), grace_days=5)
        duties.create_plan(actor=None, subject=person, kind="visit", frequency="quarterly", carer=carer,
                           start_date=D(2026, 1, 1), grace_days=5)
        duties.log_duty(actor=carer, subject=person, kind="visit", method="visit", done_on=D(2026, 2, 2))
    branch = world.orgs["firm-3708010101"]
    duties.create_plan(actor=None, subject=branch, kind="meeting", frequency="monthly",
                       owner_role="community_staff", start_date=D(2026, 1, 1), grace_days=3)
    duties.log_duty(actor=world.users["community_staff"], subject=branch, kind="meeting", method="visit",
                    done_on=D(2026, 2, 3))
    travel(at(2026, 3, 10))
    duties.generate_obligations()
    return SimpleNamespace(people=people, branch=branch)


def subjects_of_rows(rows):
    return {(r.plan if isinstance(r, Obligation) else r).subject for r in rows}


def test_one_subject_several_a_queryset_or_a_model(cared):
    one, two, three = cared.people
    # Per person: contact January–March, visit Q1; the branch: meetings January–March.
    assert queries.obligations_of(one).count() == 4
    assert subjects_of_rows(queries.obligations_of([one, two])) == {one, two}
    assert queries.obligations_of(Person.objects.filter(pk__in=[two.pk, three.pk])).count() == 8
    assert queries.obligations_of(Person).count() == 12
    assert subjects_of_rows(queries.obligations_of([one, cared.branch])) == {one, cared.branch}
    assert not queries.obligations_of([]).exists()
    # Of a kind: the plan's kind for plans and obligations, the log's own kind for logs.
    assert queries.plans_of(cared.people, kind="visit").count() == 3
    assert queries.obligations_of([one, cared.branch], kind="meeting").count() == 3
    assert queries.logs_of(cared.people).count() == 3
    assert queries.logs_of(cared.people, kind="contact").count() == 0
    assert list(queries.logs_of(cared.branch, kind="meeting")) == list(DutyLog.objects.filter(kind="meeting"))
    # The same rows as the engine's own helper for one subject.
    assert list(queries.plans_of(two)) == list(duties.plans_for(two))


def test_a_given_queryset_is_narrowed(world, cared, retiree, carer):
    far = retiree("3708020101")  # another county
    duties.create_plan(actor=None, subject=far, kind="contact", frequency="monthly", carer=carer)
    visible = Obligation.objects.visible_to(world.users["town_staff"])
    mine = queries.obligations_of([*cared.people, far], qs=visible)
    assert subjects_of_rows(mine) == set(cared.people)
    assert set(mine) == set(visible.filter(plan__kind__in=["contact", "visit"]))
    assert queries.obligations_of(far).exists()


def test_compliance_of_is_the_engines_compliance_over_the_subjects(cared):
    # Closed by 10 March: January and February contacts (February fulfilled by the visit), nothing of Q1 yet.
    figures = queries.compliance_of(cared.people, kind="contact")
    assert figures == {"due": 6, "fulfilled": 3, "missed": 3, "rate": 0.5}
    assert figures == duties.compliance(Obligation.objects.filter(subject_q(cared.people, "plan__")), kind="contact")
    assert queries.compliance_of(cared.people[0], start=D(2026, 2, 1), end=D(2026, 3, 1)) == {
        "due": 1, "fulfilled": 0, "missed": 1, "rate": 0.0}  # January's window closed on 6 February
    assert queries.compliance_of([])["due"] == 0


@pytest.mark.parametrize("how", ["list", "queryset"])
def test_one_query_however_many_subjects(world, cared, retiree, carer, django_assert_num_queries, how):
    more = [retiree() for _ in range(7)]
    for person in more:
        duties.create_plan(actor=None, subject=person, kind="contact", frequency="monthly", carer=carer,
                           start_date=D(2026, 1, 1))
    people = [*cared.people, *more]
    subjects = people if how == "list" else Person.objects.filter(pk__in=[p.pk for p in people])
    for group, n in ((subjects[:1], 1), (subjects, len(people))):
        with django_assert_num_queries(1):
            assert len(list(queries.obligations_of(group, kind="contact"))) == 3 * n
        with django_assert_num_queries(1):
            list(queries.plans_of(group))
        with django_assert_num_queries(1):
            list(queries.logs_of(group))
        with django_assert_num_queries(1):
            queries.compliance_of(group, kind="contact")
    rows = list(queries.obligations_of(people).select_related("plan"))
    with django_assert_num_queries(1):
        found = queries.subjects_of(rows, Person.objects.select_related("area"))
    assert {pk: s.pk for pk, s in found.items()} == {o.pk: o.plan.subject_id for o in rows}


def test_subjects_of_keeps_only_the_given_subjects(cared):
    one, two, _three = cared.people
    rows = list(queries.obligations_of([one, two, cared.branch]).select_related("plan"))
    found = queries.subjects_of(rows, Person.objects.filter(pk=one.pk))
    assert set(found.values()) == {one}
    assert set(found) == {o.pk for o in rows if o.plan.subject == one}
    logs = list(queries.logs_of([one, cared.branch]))
    assert set(queries.subjects_of(logs, Person.objects.all()).values()) == {one}
    assert queries.subjects_of([], Person.objects.all()) == {}


def test_subject_via_reads_name_and_area_from_the_related_record(world, retiree):
    class Subject(SubjectVia):
        subject_via = "person"

        def __init__(self, person):
            self.person = person

    person = retiree(name="张三")
    subject = Subject(person)
    assert (subject.name, subject.area, subject.area_id) == ("张三", person.area, person.area_id)
    assert duties.subject_area(subject) == person.area


# Keyword filters on the generic relation's columns (reading ``o.plan.subject_id`` is fine).
SUBJECT_FILTER = re.compile(r"\bsubject_type\b|\bsubject_id(?:__\w+)?\s*=|\bplan__subject_\w+\s*=")


def test_no_module_outside_duties_filters_duty_tables_by_subject():
    root = Path(lianxin.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if {"duties", "tests", "migrations"} & set(path.relative_to(root).parts):
            continue
        for lineno, line in enumerate(path.read_text().splitlines(), 1):
            if SUBJECT_FILTER.search(line):
                offenders.append(f"{path.relative_to(root)}:{lineno}: {line.strip()}")
    assert not offenders, "use lianxin.duties.queries instead:\n" + "\n".join(offenders)
