"""Pages of consultation: residents' topics (raise on a phone, support), staff triage, councils, meetings with
attendance and votes, decisions with their steps, follow-up cases and ratings. Views parse forms and call services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.cases.deadlines import colour_of
from lianxin.core import clock, resubmit
from lianxin.core.trees import subtree_q
from lianxin.core.uploads import store_upload
from lianxin.core.visibility import can, ensure_created_in_scope, may_anywhere, scoped
from lianxin.orgs.models import Org

from . import queries, services
from .forms import CouncilForm, MeetingForm, MemberForm, TaskForm, TopicForm
from .models import (
    STEPS,
    Choice,
    Council,
    Decision,
    ItemOutcome,
    Meeting,
    MeetingStatus,
    Presence,
    Step,
    Topic,
    TopicStatus,
)

PAGE = 30


def _id(text) -> int | None:
    text = str(text or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


def _areas_for(user, label: str, action: str):
    """Communities where ``user`` may ``action`` ``label`` (the choices of a create form)."""
    return queries.raise_areas(user, label, action).filter(kind="community") if label != "consultation.topic" \
        else queries.raise_areas(user, label, action)


def _fail(request, error) -> None:
    for m in getattr(error, "messages", [str(error)]):
        messages.error(request, m)


# ---- topics -----------------------------------------------------------------------------------------------

@scoped(Topic, "view", kind="list")
def topics(request, qs):
    q = (request.GET.get("q") or "").strip()
    status = request.GET.get("status") or ""
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(text__icontains=q) | Q(place__icontains=q))
    if status in TopicStatus.values:
        qs = qs.filter(status=status)
    elif request.GET.get("all") != "1":
        qs = qs.exclude(status__in=(TopicStatus.MERGED, TopicStatus.DECLINED))
    qs = qs.select_related("area").annotate(mine=queries.supported_by(request.user)).order_by("-created_at", "-pk")
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(request, "consultation/topics.html", {
        "page": page, "q": q, "status": status, "statuses": TopicStatus.choices,
        "may_raise": may_anywhere(request.user, Topic, "add"),
        "may_support": may_anywhere(request.user, Topic, "support"),
    })


@scoped(Topic, "add", kind="create")
def raise_topic(request):
    areas = _areas_for(request.user, "consultation.topic", "add")
    for_others = request.user.is_superuser or any(
        g.role != "resident" for g in request.user.grants.all())
    form = TopicForm(request.POST or None, request.FILES or None, areas=areas, for_others=for_others)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                def create():
                    photo = store_upload(d["photo"], owner=request.user, area=d["area"]) if d.get("photo") else None
                    topic = services.raise_topic(actor=request.user, area=d["area"], title=d["title"], text=d["text"],
                                                 place=d["place"], photo=photo, for_resident=d.get("for_resident", ""))
                    ensure_created_in_scope(request.user, topic)
                    return topic

                topic, created = resubmit.once(request, d["key"], create)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if created:
                messages.success(request, _("Your topic was raised. Neighbours can now support it."))
            return redirect("consultation:topic", topic.pk)
    return render(request, "consultation/raise.html", {"form": form})


@scoped(Topic, "view")
def topic_detail(request, obj):
    user = request.user
    may_triage = can(user, obj, "triage")
    context = {
        "topic": obj, "may_triage": may_triage,
        "may_support": can(user, obj, "support") and obj.author_id != user.pk
        and obj.status in (TopicStatus.OPEN, TopicStatus.SCHEDULED),
        "supported": obj.support_rows.filter(user=user).exists(),
        "is_author": obj.author_id == user.pk,
        "show_photo": obj.photo_id and (may_triage or obj.author_id == user.pk),
        "items": obj.agenda_items.select_related("meeting").order_by("meeting__starts_at"),
        "decision": Decision.objects.visible_to(user).filter(topic=obj).first(),
    }
    if may_triage and obj.status in (TopicStatus.OPEN, TopicStatus.SCHEDULED, TopicStatus.REJECTED):
        context["meetings"] = (Meeting.objects.visible_to(user, "change")
                               .filter(area=obj.community.pk, status=MeetingStatus.PLANNED).order_by("starts_at"))
        context["others"] = (Topic.objects.visible_to(user, "triage")
                             .filter(subtree_q("area__path", obj.community.path),
                                     status__in=(TopicStatus.OPEN, TopicStatus.SCHEDULED))
                             .exclude(pk=obj.pk).order_by("-created_at")[:50])
        council = obj.council or Council.objects.visible_to(user).filter(area=obj.community.pk).first()
        context["village"] = council is not None and council.kind == "village"
    return render(request, "consultation/topic.html", context)


@scoped(Topic, "support")
@require_POST
def support(request, obj):
    try:
        services.support(obj, actor=request.user)
        messages.success(request, _("You support this topic."))
    except ValidationError as e:
        _fail(request, e)
    nxt = request.POST.get("next") or ""
    return redirect(nxt if nxt.startswith("/consultation/") else reverse("consultation:topic", args=[obj.pk]))


@scoped(Topic, "triage")
@require_POST
def triage(request, obj):
    action = request.POST.get("action")
    user = request.user
    try:
        if action == "decline":
            services.decline(obj, actor=user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Declined; the author sees the reason."))
        elif action == "merge":
            into = Topic.objects.visible_to(user, "triage").filter(pk=_id(request.POST.get("into"))).first()
            if into is None:
                raise ValidationError(_("Choose the topic to merge into."))
            kept = services.merge(obj, into=into, actor=user)
            messages.success(request, _("Merged; both authors follow the kept topic."))
            return redirect("consultation:topic", kept.pk)
        elif action == "schedule":
            meeting = Meeting.objects.visible_to(user, "change").filter(pk=_id(request.POST.get("meeting"))).first()
            if meeting is None:
                raise ValidationError(_("Choose the meeting."))
            services.schedule(obj, meeting=meeting, actor=user, major=request.POST.get("major") == "1")
            messages.success(request, _("Put on the agenda."))
        elif action == "propose":
            decision = services.propose(obj, actor=user, record=request.POST.get("record", ""))
            return redirect("consultation:decision", decision.pk)
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as e:
        _fail(request, e)
    return redirect("consultation:topic", obj.pk)


# ---- councils ---------------------------------------------------------------------------------------------

@scoped(Council, "view", kind="list")
def councils(request, qs):
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(area__name__icontains=q))
    qs = qs.select_related("area").annotate(n_members=Count("members", distinct=True),
                                            n_meetings=Count("meetings", distinct=True))
    page = Paginator(qs.order_by("area__path", "name", "pk"), PAGE).get_page(request.GET.get("page"))
    return render(request, "consultation/councils.html", {
        "page": page, "q": q, "may_add": may_anywhere(request.user, Council, "add")})


@scoped(Council, "add", kind="create")
def council_create(request):
    form = CouncilForm(request.POST or None, areas=_areas_for(request.user, "consultation.council", "add"))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                def create():
                    c = services.create_council(actor=request.user, area=d["area"], name=d["name"], kind=d["kind"],
                                                quorum_percent=d["quorum_percent"],
                                                majority_percent=d["majority_percent"],
                                                majority_basis=d["majority_basis"])
                    ensure_created_in_scope(request.user, c)
                    return c

                council, _created = resubmit.once(request, d["key"], create)
            return redirect("consultation:council", council.pk)
        except ValidationError as e:
            form.add_error(None, e)
    return render(request, "consultation/council_form.html", {"form": form})


def _period(request):
    from lianxin.cases.stats_views import period

    return period(request, clock.today())


@scoped(Council, "view")
def council_detail(request, obj):
    start, end = _period(request)
    stars = queries.council_stars(obj, *queries.bounds(start, end))
    may_change = can(request.user, obj, "change")
    today = clock.today()
    members = list(obj.members.select_related("org").order_by("seat", "name"))
    for m in members:
        m.serving = m.serves_on(today)
    return render(request, "consultation/council.html", {
        "council": obj, "members": members, "may_change": may_change,
        "meetings": obj.meetings.annotate(n_items=Count("items")).order_by("-starts_at")[:50],
        "decisions": Decision.objects.visible_to(request.user).filter(council=obj, decided_at__isnull=False)
        .select_related("topic").order_by("-decided_at")[:50],
        "member_form": MemberForm(orgs=Org.objects.visible_to(request.user).order_by("name")) if may_change else None,
        "meeting_form": MeetingForm() if may_change else None,
        "start": start, "end": end, "ratings": len(stars),
        "satisfaction": services.satisfaction(stars), "average": sum(stars) / len(stars) if stars else None,
    })


@scoped(Council, "change")
@require_POST
def member_add(request, obj):
    form = MemberForm(request.POST, orgs=Org.objects.visible_to(request.user))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.add_member(obj, actor=request.user, seat=d["seat"], name=d["name"], org=d["org"],
                                term_start=d["term_start"], term_end=d["term_end"])
            messages.success(request, _("Member added."))
        except ValidationError as e:
            _fail(request, e)
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("consultation:council", obj.pk)


@scoped(Council, "change")
@require_POST
def meeting_create(request, obj):
    form = MeetingForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("consultation:council", obj.pk)
    d = form.cleaned_data
    try:
        with transaction.atomic():
            meeting, _created = resubmit.once(request, d["key"], lambda: services.create_meeting(
                actor=request.user, council=obj, title=d["title"], starts_at=d["starts_at"], place=d["place"]))
    except ValidationError as e:
        _fail(request, e)
        return redirect("consultation:council", obj.pk)
    return redirect("consultation:meeting", meeting.pk)


# ---- meetings ---------------------------------------------------------------------------------------------

@scoped(Meeting, "view")
def meeting_detail(request, obj):
    attendance = list(obj.attendance.select_related("member"))
    items = list(obj.items.select_related("topic").prefetch_related("votes__member"))
    for item in items:
        item.tally = services.count(item)
        item.named = {v.member_id: v.choice for v in item.votes.all()}
    may_change = can(request.user, obj, "change")
    open_topics = []
    if may_change and obj.status == MeetingStatus.PLANNED:
        open_topics = (Topic.objects.visible_to(request.user, "triage")
                       .filter(subtree_q("area__path", obj.area.path),
                               status__in=(TopicStatus.OPEN, TopicStatus.REJECTED))
                       .order_by("-supports", "-created_at")[:50])
    return render(request, "consultation/meeting.html", {
        "meeting": obj, "attendance": attendance, "items": items, "may_change": may_change,
        "presences": Presence.choices, "choices": Choice.choices, "open_topics": open_topics,
        "voters": [a for a in attendance if a.counts], "pending": ItemOutcome.PENDING,
    })


@scoped(Meeting, "change")
@require_POST
def meeting_record(request, obj):
    """One endpoint for the clerk's entries: attendance, an agenda topic, an item's record, tally, named votes,
    closing the vote."""
    user, post = request.user, request.POST
    what = post.get("what")
    item = obj.items.select_related("topic", "meeting__council").filter(pk=_id(post.get("item"))).first()
    try:
        if what == "attendance":
            for att in obj.attendance.select_related("member"):
                presence = post.get(f"presence_{att.member_id}")
                if presence and (presence != att.presence or post.get(f"proxy_{att.member_id}", "") != att.proxy_name):
                    services.set_attendance(obj, actor=user, member=att.member, presence=presence,
                                            proxy_name=post.get(f"proxy_{att.member_id}", ""))
            messages.success(request, _("Attendance saved."))
        elif what == "agenda":
            topic = Topic.objects.visible_to(user, "triage").filter(pk=_id(post.get("topic"))).first()
            if topic is None:
                raise ValidationError(_("Choose a topic."))
            services.schedule(topic, meeting=obj, actor=user, major=post.get("major") == "1")
        elif item is None:
            raise ValidationError(_("Choose an agenda item."))
        elif what == "record":
            services.record_item(item, actor=user, discussion=post.get("discussion", ""),
                                 options=post.get("options", ""))
            messages.success(request, _("Record saved."))
        elif what == "tally":
            try:
                counts = [int(post.get(k) or 0) for k in ("votes_for", "votes_against", "votes_abstain")]
            except ValueError as e:
                raise ValidationError(_("Counts are whole numbers.")) from e
            services.record_tally(item, actor=user, votes_for=counts[0], votes_against=counts[1],
                                  votes_abstain=counts[2])
            messages.success(request, _("Tally saved."))
        elif what == "votes":
            for att in obj.attendance.select_related("member"):
                choice = post.get(f"vote_{att.member_id}")
                if choice:
                    services.cast_vote(item, actor=user, member=att.member, choice=choice)
            messages.success(request, _("Votes saved."))
        elif what == "close":
            item = services.close_vote(item, actor=user, text=post.get("text", ""))
            if item.outcome == ItemOutcome.PASSED:
                messages.success(request, _("Passed; the decision is recorded."))
            else:
                messages.warning(request, _("Not passed: no majority for."))
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as e:
        _fail(request, e)
    return redirect(reverse("consultation:meeting", args=[obj.pk]) + (f"#item-{item.pk}" if item else ""))


@scoped(Meeting, "view")
def meeting_pdf(request, obj):
    from django.http import HttpResponse

    from . import record

    response = HttpResponse(record.render_pdf(obj), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="meeting-{obj.pk}-record.pdf"'
    return response


# ---- decisions --------------------------------------------------------------------------------------------

@scoped(Decision, "view", kind="list")
def decisions(request, qs):
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(topic__title__icontains=q) | Q(text__icontains=q))
    qs = (qs.select_related("topic", "area", "council").annotate(n_tasks=Count("tasks", distinct=True),
                                                                  n_ratings=Count("ratings", distinct=True))
          .order_by("-created_at", "-pk"))
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(request, "consultation/decisions.html", {"page": page, "q": q})


@scoped(Decision, "view")
def decision_detail(request, obj):
    user = request.user
    tasks = [t.case for t in obj.tasks.select_related("case__lead_org", "case__category")]
    now = clock.now()
    for case in tasks:
        case.colour = colour_of(case, now)
        case.visible = False
    from lianxin.cases.models import Case

    visible = set(Case.objects.visible_to(user).filter(pk__in=[c.pk for c in tasks]).values_list("pk", flat=True))
    for case in tasks:
        case.visible = case.pk in visible
    p = services.progress(obj, tasks)
    may_change = can(user, obj, "change")
    stars = list(obj.ratings.values_list("stars", flat=True))
    mine = obj.ratings.filter(user=user).first()
    next_step = None
    if obj.major and obj.step and obj.step != Step.RESULT_PUBLIC:
        following = STEPS[STEPS.index(obj.step) + 1]
        next_step = None if following == Step.RESOLUTION else Step(following)
    return render(request, "consultation/decision.html", {
        "decision": obj, "topic": obj.topic, "tasks": tasks, "progress": p, "may_change": may_change,
        "steps": obj.steps.select_related("meeting"), "next_step": next_step, "all_steps": Step.choices,
        "may_task": may_change and services.may_follow_up(obj),
        "task_form": TaskForm(orgs=queries.units_for(user, obj.area))
        if may_change and services.may_follow_up(obj) else None,
        "ratings": len(stars), "average": sum(stars) / len(stars) if stars else None,
        "satisfaction": services.satisfaction(stars), "mine": mine,
        "may_rate": can(user, obj, "rate") and mine is None and obj.decided and (not p.total or p.done),
        "comments": obj.ratings.exclude(comment="").order_by("-at")[:20] if may_change else [],
    })


@scoped(Decision, "change")
@require_POST
def step(request, obj):
    try:
        services.record_step(obj, actor=request.user, step=request.POST.get("step", ""),
                             record=request.POST.get("record", ""))
        messages.success(request, _("Step recorded."))
    except ValidationError as e:
        _fail(request, e)
    return redirect("consultation:decision", obj.pk)


@scoped(Decision, "change")
@require_POST
def task(request, obj):
    form = TaskForm(request.POST, orgs=queries.units_for(request.user, obj.area))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.create_task(obj, actor=request.user, category=d["category"], title=d["title"], lead=d["lead"],
                                 co_units=list(d["co_units"]))
            messages.success(request, _("Task created on the case engine."))
        except (ValidationError, PermissionDenied) as e:
            _fail(request, e)
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("consultation:decision", obj.pk)


@scoped(Decision, "rate")
@require_POST
def rate(request, obj):
    try:
        stars = int(request.POST.get("stars") or 0)
    except ValueError:
        stars = 0
    try:
        services.rate(obj, actor=request.user, stars=stars, comment=request.POST.get("comment", ""))
        messages.success(request, _("Thank you for your rating."))
    except ValidationError as e:
        _fail(request, e)
    return redirect("consultation:decision", obj.pk)
