"""The care ledgers in Excel: columns and rows of each, built from querysets the views have already scoped
(visible_to); related rows are reached only through those scoped rows."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from lianxin.core import clock
from lianxin.core.excel import Column
from lianxin.duties.kinds import label_of
from lianxin.duties.periods import local_date
from lianxin.duties.status import with_status

from .models import Assignment, GroupVisit, Liaison, PlanEntry, RetirementItem, RetirementStep


def _date(value):
    return value.isoformat() if value else ""


def _moment(value):
    return local_date(value).isoformat() if value else ""


def _user(user):
    return user.display_name if user is not None else ""


def in_range(qs, field: str, start, end):
    if start:
        qs = qs.filter(**{f"{field}__gte": start})
    if end:
        qs = qs.filter(**{f"{field}__lt": end})
    return qs


ASSIGNMENT_COLUMNS = [
    Column("retiree", _("Retiree"), "离退休干部", width=14), Column("area", _("Area"), "区划", width=16),
    Column("role", _("Role"), "角色", width=12), Column("user", _("Assigned to"), "负责人", width=14),
    Column("started_on", _("Started on"), "开始日期", width=12),
    Column("ended_on", _("Ended on"), "结束日期", width=12),
    Column("note", _("Note"), "备注", width=24),
]


def assignment_rows(retirees, start=None, end=None):
    qs = Assignment.objects.filter(retiree__in=retirees).select_related("retiree__person__area", "user__person")
    if end:
        qs = qs.filter(started_on__lt=end)
    if start:
        qs = qs.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    for a in qs.order_by("retiree__person__name", "retiree_id", "role", "started_on", "pk"):
        yield [a.retiree.name, a.retiree.person.area.name, a.get_role_display(), _user(a.user),
               _date(a.started_on), _date(a.ended_on), a.note]


LOG_COLUMNS = [
    Column("done_on", _("Done on"), "日期", width=12), Column("retiree", _("Retiree"), "离退休干部", width=14),
    Column("area", _("Area"), "区划", width=16), Column("kind", _("Duty"), "事项", width=12),
    Column("method", _("Method"), "方式", width=10), Column("notes", _("Notes"), "记录", width=30),
    Column("actor", _("Logged by"), "记录人", width=14), Column("entered", _("Entered on"), "录入日期", width=12),
    Column("fulfilled", _("Duties fulfilled"), "完成事项数", width=10),
    Column("late", _("Entered too late"), "超时录入", width=10),
    Column("located", _("Location recorded"), "有定位", width=10), Column("photos", _("Photos"), "照片数", width=8),
]


def log_rows(logs, retirees):
    names = dict(retirees.values_list("pk", "person__name"))
    qs = (logs.select_related("area", "actor__person").annotate(n_fulfilled=Count("fulfilled", distinct=True),
                                                        n_photos=Count("photos", distinct=True))
          .order_by("-done_on", "-pk"))
    for log in qs:
        yield [_date(log.done_on), names.get(log.subject_id, ""), log.area.name, str(label_of(log.kind)),
               log.get_method_display(), log.notes, _user(log.actor), _moment(log.entered_at), log.n_fulfilled,
               _("yes") if log.late else "", _("yes") if log.lng is not None else "", log.n_photos]


STATUS_LABELS = {
    "blue": _("Open"), "yellow": _("Due soon"), "red": _("Overdue"), "missed": _("Missed"),
    "fulfilled": _("Done"), "paused": _("Paused"), "cancelled": _("Cancelled"),
}

OBLIGATION_COLUMNS = [
    Column("retiree", _("Retiree"), "离退休干部", width=14), Column("area", _("Area"), "区划", width=16),
    Column("duty", _("Duty"), "事项", width=20), Column("start", _("Period from"), "周期开始", width=12),
    Column("last", _("Period to"), "周期结束", width=12), Column("owner", _("Owner"), "责任人", width=14),
    Column("status", _("Status"), "状态", width=10), Column("fulfilled", _("Done on"), "完成日期", width=12),
    Column("grace", _("Done in the grace window"), "宽限期内补录", width=12),
]


def obligation_rows(obligations, retirees):
    from datetime import timedelta

    names = dict(retirees.values_list("pk", "person__name"))
    qs = with_status(obligations, clock.now()).select_related("plan", "owner__person", "area").order_by(
        "-period_start", "plan__subject_id", "pk")
    for o in qs:
        yield [names.get(o.plan.subject_id, ""), o.area.name, str(o.plan), _date(o.period_start),
               _date(o.period_end - timedelta(days=1)), _user(o.owner), str(STATUS_LABELS.get(o.status, o.status)),
               _moment(o.fulfilled_at), _("yes") if o.fulfilled_in_grace else ""]


ENTRY_COLUMNS = [
    Column("on", _("Date"), "日期", width=12), Column("retiree", _("Retiree"), "离退休干部", width=14),
    Column("area", _("Area"), "区划", width=16), Column("need", _("Need"), "需求", width=30),
    Column("measure", _("Measure"), "措施", width=30), Column("result", _("Result"), "结果", width=30),
    Column("next_step", _("Next step"), "下一步", width=30), Column("author", _("Entered by"), "录入人", width=14),
]


def entry_rows(retirees, start=None, end=None):
    qs = in_range(PlanEntry.objects.filter(retiree__in=retirees), "on", start, end)
    for e in qs.select_related("retiree__person__area", "author__person").order_by("-on", "-pk"):
        yield [_date(e.on), e.retiree.name, e.retiree.person.area.name, e.need, e.measure, e.result, e.next_step,
               _user(e.author)]


STEP_COLUMNS = [
    Column("unit", _("Former unit"), "原单位", width=20), Column("retiree", _("Retiree"), "离退休干部", width=14),
    Column("retired", _("Retirement date"), "退休时间", width=12),
    *[Column(value, label, "", width=12) for value, label in RetirementItem.choices],
    Column("done", _("Items done"), "完成项数", width=10),
]


def step_rows(retirees):
    steps: dict = {}
    for s in RetirementStep.objects.filter(retiree__in=retirees):
        steps.setdefault(s.retiree_id, {})[s.item] = s.done_on
    qs = retirees.select_related("person", "unit").order_by("unit__name", "person__name", "pk")
    for r in qs:
        done = steps.get(r.pk, {})
        yield [r.unit.name if r.unit_id else "", r.name, _date(r.retirement_date),
               *[_date(done.get(value)) for value, _label in RetirementItem.choices], len(done)]


LIAISON_COLUMNS = [
    Column("unit", _("Unit"), "单位", width=20), Column("code", _("Unit code"), "单位代码", width=16, text=True),
    Column("name", _("Liaison"), "联络员", width=14), Column("phone", _("Mobile"), "手机号", width=15, text=True),
    Column("started_on", _("Started on"), "开始日期", width=12),
    Column("ended_on", _("Ended on"), "结束日期", width=12),
    Column("retirees", _("Retirees of the unit"), "本单位离退休干部数", width=10),
    Column("note", _("Note"), "备注", width=24),
]


def liaison_rows(units, retirees):
    counts = dict(retirees.filter(unit__in=units).values("unit").annotate(n=Count("pk")).values_list("unit", "n"))
    qs = Liaison.objects.filter(unit__in=units).select_related("unit", "person").order_by("unit__name", "started_on")
    for x in qs:
        yield [x.unit.name, x.unit.code, x.person.name, x.person.phone_masked, _date(x.started_on),
               _date(x.ended_on), counts.get(x.unit_id, 0), x.note]


HEALTH_COLUMNS = [
    Column("held_on", _("Held on"), "日期", width=12), Column("kind", _("Kind"), "类型", width=12),
    Column("title", _("Title"), "名称", width=24), Column("area", _("Area"), "区划", width=16),
    Column("organiser", _("Organiser"), "组织单位", width=20),
    Column("covered", _("Retirees covered"), "覆盖人数", width=10),
    Column("names", _("Retirees"), "覆盖名单", width=40),
]


def health_rows(events, start=None, end=None):
    qs = in_range(events, "held_on", start, end).select_related("area").prefetch_related("retirees__person")
    for e in qs.order_by("-held_on", "-pk"):
        names = [r.name for r in e.retirees.all()]
        yield [_date(e.held_on), e.get_kind_display(), e.title, e.area.name, e.organiser, len(names), "、".join(names)]


GROUP_COLUMNS = [
    Column("title", _("Festival visit"), "慰问活动", width=20), Column("occasion", _("Occasion"), "节日", width=12),
    Column("due_on", _("Due by"), "截止日期", width=12), Column("retiree", _("Retiree"), "离退休干部", width=14),
    Column("area", _("Area"), "区划", width=16), Column("owner", _("Care cadre"), "包保干部", width=14),
    Column("status", _("Status"), "状态", width=10), Column("done", _("Done on"), "完成日期", width=12),
]


def group_rows(groups: list[GroupVisit], retirees):
    from lianxin.duties.models import Obligation

    names = dict(retirees.values_list("pk", "person__name"))
    for g in groups:
        obligations = with_status(Obligation.objects.filter(plan__in=g.plans.all()), clock.now())
        for o in obligations.select_related("plan", "owner__person", "area").order_by("pk"):
            yield [g.title, g.get_occasion_display(), _date(g.due_on), names.get(o.plan.subject_id, ""), o.area.name,
                   _user(o.owner), str(STATUS_LABELS.get(o.status, o.status)), _moment(o.fulfilled_at)]


