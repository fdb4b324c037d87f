"""The write path of the village work. Every function takes ``actor=``, runs in one transaction and is audited
(the models are registered with auditlog); views, the demo and the tests call these and nothing else writes.

Must-visit duties: a household in at least one active must-visit category owes a visit on the duty engine (kind
``must_visit``) at the most frequent of its categories' frequencies, owed by the village's current first secretary
(their account, when they have one) or else by whoever holds the first_secretary role at the village. A hand-over
gives the running plans with their open obligations to the next secretary (``duties.reassign``); the households,
visits, answers, survey answers, plans, projects and reports stay in the village.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.areas.models import AreaKind
from lianxin.cases import services as cases
from lianxin.core import clock, pii
from lianxin.core.audit import actor_context
from lianxin.duties import kinds as duty_kinds
from lianxin.duties import queries as duty_queries
from lianxin.duties import services as duties
from lianxin.duties.models import Frequency

from .models import (
    AssistancePlan,
    Household,
    IndustryProject,
    MustAskQuestion,
    ResearchReport,
    SecretaryTerm,
    SurveyAnswer,
    SurveyItem,
    VillageProfile,
    Visit,
    VisitAnswer,
)

MUST_VISIT = "must_visit"
OWNER_ROLE = "first_secretary"
# Most frequent first: a household in several categories is visited as often as the most demanding one asks.
FREQUENCY_ORDER = [Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.YEARLY]


def register() -> None:
    if MUST_VISIT not in duty_kinds.DUTY_KINDS:
        duty_kinds.register_kind(MUST_VISIT, gettext_lazy("Must-visit household visit (五必访)"))


def _check_village(area) -> None:
    if area is None or area.kind != AreaKind.COMMUNITY:
        raise ValidationError(_("Choose a village (an area of the community / village kind)."))


# ------------------------------------------------------------------------------------------ roster


def current_term(area) -> SecretaryTerm | None:
    return (SecretaryTerm.objects.filter(area=area, end_on__isnull=True).select_related("secretary").first())


def _account_of(person):
    return getattr(person, "account", None) if person is not None else None


def _secretary_account(area):
    term = current_term(area)
    return _account_of(term.secretary) if term else None


def start_term(*, actor, area, secretary, level: str, start_on: date | None = None, unit: str = "", team=(),
               previous: SecretaryTerm | None = None, note: str = "") -> SecretaryTerm:
    """Dispatch a first secretary to a village that has no one in office."""
    _check_village(area)
    start_on = start_on or clock.today()
    with transaction.atomic(), actor_context(actor):
        if SecretaryTerm.objects.select_for_update().filter(area=area, end_on__isnull=True).exists():
            raise ValidationError(_("This village already has a first secretary in office: hand over instead."))
        term = SecretaryTerm(area=area, secretary=secretary, level=level, unit=unit.strip(), start_on=start_on,
                             previous=previous, handover_note=note)
        term.full_clean(exclude=["previous", "team"])
        term.save()
        if team:
            term.team.set(team)
        _give_plans(area, _account_of(secretary), actor=actor, note=_("New first secretary"))
    return term


def hand_over(term: SecretaryTerm, *, actor, secretary, on: date | None = None, level: str | None = None,
              unit: str | None = None, team=(), note: str = "") -> SecretaryTerm:
    """End ``term`` on ``on`` and start the next secretary's term the same day; the village keeps its records
    and the must-visit duties pass to the new secretary with their open obligations."""
    on = on or clock.today()
    with transaction.atomic(), actor_context(actor):
        term = SecretaryTerm.objects.select_for_update().get(pk=term.pk)
        if term.end_on is not None:
            raise ValidationError(_("This term has already ended."))
        if on < term.start_on:
            raise ValidationError(_("The hand-over is before the term started."))
        if secretary.pk == term.secretary_id:
            raise ValidationError(_("Hand over to another person."))
        term.end_on = on
        term.save(update_fields=["end_on"])
        return start_term(actor=actor, area=term.area, secretary=secretary, level=level or term.level,
                          unit=term.unit if unit is None else unit, start_on=on, team=team, previous=term, note=note)


def end_term(term: SecretaryTerm, *, actor, on: date | None = None) -> SecretaryTerm:
    """The term ends with no successor yet: the duties fall to the first_secretary role at the village."""
    on = on or clock.today()
    with transaction.atomic(), actor_context(actor):
        term = SecretaryTerm.objects.select_for_update().get(pk=term.pk)
        if term.end_on is not None:
            raise ValidationError(_("This term has already ended."))
        term.end_on = max(on, term.start_on)
        term.save(update_fields=["end_on"])
        _give_plans(term.area, None, actor=actor, note=_("Term ended"))
    return term


def running_plans(subjects):
    """The running must-visit plans of a household, a list or a queryset of them."""
    return duty_queries.plans_of(subjects, kind=MUST_VISIT).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=clock.today()), active=True)


def _give_plans(area, account, *, actor, note: str) -> None:
    plans = [p for p in running_plans(Household.objects.filter(area=area))
             if p.carer_id != (account.pk if account else None)]
    if plans:
        duties.reassign(plans, new_carer=account, actor=actor, note=note)


# ------------------------------------------------------------------------------------------ profile


def profile_of(area) -> VillageProfile:
    _check_village(area)
    profile, _created = VillageProfile.objects.get_or_create(area=area)
    return profile


PROFILE_FIELDS = ("households", "population", "party_members", "committee_members", "committee_note",
                  "income_year", "collective_income", "income_sources")


def update_profile(profile: VillageProfile, *, actor, **fields) -> VillageProfile:
    with transaction.atomic(), actor_context(actor):
        profile = VillageProfile.objects.select_for_update().get(pk=profile.pk)
        for key, value in fields.items():
            if key not in PROFILE_FIELDS:
                raise ValueError(key)
            setattr(profile, key, value)
        profile.full_clean()
        profile.save()
    return profile


# ------------------------------------------------------------------------------------------ households


def _clean_phone(phone: str) -> str:
    phone = (phone or "").strip()
    return pii.validate_mobile(phone) if phone else ""


def create_household(*, actor, area, name: str, phone: str = "", members: int = 1, address: str = "",
                     categories=()) -> Household:
    _check_village(area)
    with transaction.atomic(), actor_context(actor):
        household = Household(area=area, name=(name or "").strip(), phone=_clean_phone(phone), members=members,
                              address=address.strip())
        household.full_clean()
        household.save()
        if categories:
            household.categories.set(categories)
        ensure_visit_plan(household, actor=actor)
    return household


def update_household(household: Household, *, actor, categories=None, **fields) -> Household:
    with transaction.atomic(), actor_context(actor):
        household = Household.objects.select_for_update().get(pk=household.pk)
        for key in ("name", "members", "address", "active"):
            if key in fields:
                setattr(household, key, fields[key].strip() if isinstance(fields[key], str) else fields[key])
        if "phone" in fields:
            household.phone = _clean_phone(fields["phone"])
        household.full_clean()
        household.save()
        if categories is not None:
            household.categories.set(categories)
        ensure_visit_plan(household, actor=actor)
    return household


def wanted_frequency(household: Household) -> str | None:
    """The visit frequency a household's categories ask for (None: not a must-visit household)."""
    if not household.active:
        return None
    found = {c.frequency for c in household.categories.all() if c.active}
    for frequency in FREQUENCY_ORDER:
        if frequency in found:
            return frequency
    return next(iter(found), None)


def ensure_visit_plan(household: Household, *, actor, generate: bool = True):
    """One running must-visit plan at the wanted frequency, or none; returns a plan it created (whose
    obligations are generated now unless ``generate`` is false: a caller creating many generates them at once)."""
    wanted = wanted_frequency(household)
    running = list(running_plans(household))
    keep = [p for p in running if p.frequency == wanted]
    stale = [p for p in running if p not in keep]
    if stale:
        duties.end_plans(stale, actor=actor, note=_("Must-visit categories changed"))
    if wanted and not keep:
        return duties.create_plan(actor=actor, subject=household, kind=MUST_VISIT, frequency=wanted,
                                  carer=_secretary_account(household.area), owner_role=OWNER_ROLE,
                                  title=_("Must-visit household: %(name)s") % {"name": household.name},
                                  generate=generate)
    return None


def start_visit_plans(households, *, actor) -> list:
    """The must-visit plans of newly registered households (an import or the demo: none has a plan yet), with
    their obligations generated at once. Categories should be prefetched."""
    accounts, plans = {}, []
    with transaction.atomic(), actor_context(actor):
        for household in households:
            wanted = wanted_frequency(household)
            if not wanted:
                continue
            if household.area_id not in accounts:
                accounts[household.area_id] = _secretary_account(household.area)
            plans.append(duties.create_plan(
                actor=actor, subject=household, kind=MUST_VISIT, frequency=wanted, carer=accounts[household.area_id],
                owner_role=OWNER_ROLE, title=_("Must-visit household: %(name)s") % {"name": household.name},
                area=household.area, generate=False))
        duties.generate_obligations(until=clock.today(), plans=plans)
    return plans


# ------------------------------------------------------------------------------------------ visits


def log_visit(*, actor, household: Household, answers: dict, method: str = Visit.Method.VISIT,
              visited_on: date | None = None, notes: str = "", photo=None, device_time=None, lng=None,
              lat=None) -> Visit:
    """A visit with its answers ({MustAskQuestion: text}, empty answers left out). It fulfils the household's
    must-visit duty of the period, if it has one."""
    now = clock.now()
    visited_on = visited_on or clock.today()
    if visited_on > clock.today():
        raise ValidationError(_("A visit cannot be logged for a future date."))
    if method not in Visit.Method.values:
        raise ValidationError(_("Unknown method."))
    answers = {q: (t or "").strip() for q, t in answers.items() if (t or "").strip()}
    if not answers and not notes.strip():
        raise ValidationError(_("Write down at least one answer or a note."))
    with transaction.atomic(), actor_context(actor):
        visit = Visit(area=household.area, household=household, visitor=actor, term=current_term(household.area),
                      method=method, visited_on=visited_on, notes=notes.strip(), photo=photo,
                      device_time=device_time, lng=lng, lat=lat, submitted_at=now)
        visit.full_clean(exclude=["term", "photo", "visitor"])
        visit.save()
        ordered = sorted(answers.items(), key=lambda x: x[0].order)
        VisitAnswer.objects.bulk_create([VisitAnswer(visit=visit, question=q, text=t) for q, t in ordered])
        plans = list(running_plans(household))
        if plans:
            # The duty log is the visitor's when the engine lets them log the plan (the secretary, its carer);
            # a visit by the village staff is recorded by this service on their behalf (the visit names them).
            logger = actor if actor is None or any(duties.may_log(actor, p) for p in plans) else None
            duties.log_duty(actor=logger, subject=household, kind=MUST_VISIT, method=method, done_on=visited_on,
                            notes=notes[:500], photos=[photo] if photo else (), device_time=device_time,
                            lng=lng, lat=lat)
    return visit


def answer_to_case(answer: VisitAnswer, *, actor, category, title: str = "", urgency: str = "normal"):
    """File the problem in an answer as a case (source: first secretary's visit) in the village. One answer is
    one case: a second call returns the first case."""
    with transaction.atomic(), actor_context(actor):
        answer = VisitAnswer.objects.select_for_update(of=("self",)).select_related("visit__household", "visit__area",
                                                                         "question").get(pk=answer.pk)
        if answer.case_id:
            return answer.case
        visit = answer.visit
        description = _("%(question)s (visit to %(household)s on %(date)s): %(text)s") % {
            "question": answer.question.name, "household": visit.household.name,
            "date": visit.visited_on.isoformat(), "text": answer.text}
        outcome = cases.report(actor=actor, type="event", category=category,
                               title=(title or f"{answer.question.name}：{answer.text}")[:120],
                               description=description, area=visit.area, urgency=urgency, source="visit",
                               idempotency_key=f"villages-answer-{answer.pk}",
                               photos=[visit.photo] if visit.photo_id else ())
        answer.case = outcome.case
        answer.save(update_fields=["case"])
    return outcome.case


# ------------------------------------------------------------------------------------------ survey


def answer_survey(*, actor, area, item: SurveyItem, yes: bool | None = None, number=None, text: str = "",
                  evidence=None, measures: str = "", at=None) -> SurveyAnswer:
    _check_village(area)
    if item.kind == SurveyItem.Kind.YES_NO and yes is None:
        raise ValidationError(_("Answer yes or no."))
    if item.kind in (SurveyItem.Kind.AMOUNT, SurveyItem.Kind.COUNT) and number is None:
        raise ValidationError(_("Give the number."))
    if item.kind == SurveyItem.Kind.TEXT and not (text or "").strip():
        raise ValidationError(_("Write the answer."))
    with transaction.atomic(), actor_context(actor):
        answer = SurveyAnswer(area=area, item=item, yes=yes if item.kind == SurveyItem.Kind.YES_NO else None,
                              number=number if item.kind != SurveyItem.Kind.YES_NO else None,
                              text=(text or "").strip(), evidence=evidence, measures=(measures or "").strip(),
                              answered_by=actor, answered_at=at or clock.now())
        answer.full_clean(exclude=["evidence", "answered_by"])
        answer.save()
    return answer


def current_answers(answers_qs) -> dict:
    """{(area pk, item pk): the latest answer} over an answers queryset (one query)."""
    latest = {}
    for a in answers_qs.select_related("item").order_by("area_id", "item_id", "-answered_at", "-pk"):
        latest.setdefault((a.area_id, a.item_id), a)
    return latest


def gaps(villages, answers_qs, items) -> list[dict]:
    """Per village: the items not meeting the standard, or not answered yet."""
    latest = current_answers(answers_qs.filter(area__in=villages))
    out = []
    for village in villages:
        missing, short = [], []
        for item in items:
            answer = latest.get((village.pk, item.pk))
            if answer is None:
                missing.append(item)
            elif answer.meets is False:
                short.append(answer)
        out.append({"village": village, "missing": missing, "short": short})
    return out


# ------------------------------------------------------------------------------------------ plans, projects, reports

DOSSIER_FIELDS = {
    AssistancePlan: ("kind",),
    IndustryProject: ("stage", "investment", "expected_income"),
    ResearchReport: (),
}
COMMON_FIELDS = ("title", "owner", "start_on", "end_on", "document", "summary")


def create_dossier(model, *, actor, area, **fields):
    _check_village(area)
    allowed = set(COMMON_FIELDS) | set(DOSSIER_FIELDS[model])
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(unknown)
    with transaction.atomic(), actor_context(actor):
        obj = model(area=area, created_at=clock.now(), **fields)
        if not obj.owner_id and actor is not None:
            obj.owner = actor
        obj.full_clean(exclude=["owner", "document", "reviewer"])
        obj.save()
    return obj


def update_dossier(obj, *, actor, **fields):
    model = type(obj)
    allowed = set(COMMON_FIELDS) | set(DOSSIER_FIELDS[model])
    with transaction.atomic(), actor_context(actor):
        obj = model.objects.select_for_update().get(pk=obj.pk)
        if model is ResearchReport and obj.review == ResearchReport.Review.APPROVED:
            raise ValidationError(_("An approved report is not edited."))
        for key, value in fields.items():
            if key not in allowed:
                raise ValueError(key)
            if key == "document" and value is None:
                continue  # no new document: keep the old one
            setattr(obj, key, value)
        if model is ResearchReport and obj.review == ResearchReport.Review.RETURNED:
            obj.review = ResearchReport.Review.SUBMITTED  # a revised report goes back to review
        obj.full_clean(exclude=["owner", "document", "reviewer"])
        obj.save()
    return obj


def review_report(report: ResearchReport, *, actor, approve: bool, note: str = "") -> ResearchReport:
    with transaction.atomic(), actor_context(actor):
        report = ResearchReport.objects.select_for_update().get(pk=report.pk)
        if report.review != ResearchReport.Review.SUBMITTED:
            raise ValidationError(_("Only a submitted report is reviewed."))
        if actor is not None and report.owner_id == actor.pk:
            raise PermissionDenied(_("The author does not review their own report."))
        if not approve and not note.strip():
            raise ValidationError(_("Say what to revise."))
        report.review = ResearchReport.Review.APPROVED if approve else ResearchReport.Review.RETURNED
        report.reviewer, report.reviewed_at, report.review_note = actor, clock.now(), note.strip()
        report.save(update_fields=["review", "reviewer", "reviewed_at", "review_note"])
    return report


def questions():
    return list(MustAskQuestion.objects.filter(active=True).order_by("order", "pk"))


def save_configuration(formsets, *, actor) -> int:
    """Save the configuration formsets (categories, questions, survey items) together; households of categories
    whose frequency or use changed get their must-visit plan adjusted. Returns the rows saved."""
    from .models import MustVisitCategory

    saved = 0
    with transaction.atomic(), actor_context(actor):
        changed = []
        for formset in formsets:
            for form in formset.forms:
                if form.has_changed() and form.instance.pk and isinstance(form.instance, MustVisitCategory) \
                        and {"frequency", "active"} & set(form.changed_data):
                    changed.append(form.instance.pk)
            saved += len(formset.save())
        for household in (Household.objects.filter(categories__in=changed, active=True).distinct()
                          .prefetch_related("categories")):
            ensure_visit_plan(household, actor=actor)
    return saved
