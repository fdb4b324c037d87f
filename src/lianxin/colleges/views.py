"""Staff pages of the senior colleges: campuses and venues, a campus's classes, a class (enrolments, the
lottery with its seed, waitlist, enrolment on someone's behalf, lessons with attendance) and the lecturer pool."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.activities.models import Participation
from lianxin.core.visibility import can, scoped
from lianxin.people.models import Person
from lianxin.workdays.calendar import tz

from . import services
from .models import Campus, EnrolmentStatus, Klass, Lecturer


@scoped(Campus, "view", kind="list")
def campus_list(request, qs):
    if request.GET.get("q"):
        q = request.GET["q"].strip()
        qs = qs.filter(Q(name__icontains=q) | Q(area__name__icontains=q))
    page = Paginator(qs.select_related("area").annotate(n=Count("classes")).order_by("area__path", "name", "pk"),
                     50).get_page(request.GET.get("page"))
    return render(request, "colleges/list.html", {"page": page})


@scoped(Campus, "view")
def campus(request, obj):
    classes = (Klass.objects.visible_to(request.user).filter(campus=obj).select_related("course", "lecturer__person")
               .annotate(enrolled=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED))))
    return render(request, "colleges/campus.html", {"obj": obj, "classes": classes})


@scoped(Klass, "view")
def klass(request, obj):
    enrolments = list(obj.enrolments.select_related("person", "by").order_by("status", "rank", "applied_at", "pk"))
    lessons = list(obj.lessons.select_related("activity").annotate(present=Count(
        "activity__participants", filter=Q(activity__participants__status=Participation.ATTENDED))))
    counts = {s: sum(1 for e in enrolments if e.status == s) for s in EnrolmentStatus.values}
    return render(request, "colleges/klass.html", {
        "obj": obj, "enrolments": enrolments, "lessons": lessons, "counts": counts,
        "may_change": can(request.user, obj, "change")})


def _back(obj):
    return redirect("colleges:klass", obj.pk)


def _try(request, action, success):
    try:
        result = action()
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return None
    messages.success(request, success)
    return result


@scoped(Klass, "change")
@require_POST
def enrol(request, obj):
    """Enrol someone (代报: family or community staff on the student's behalf), found by mobile number."""
    phone = (request.POST.get("phone") or "").strip()
    person = Person.objects.visible_to(request.user).filter(phone=phone).first() if phone else None
    if person is None:
        messages.error(request, _("Nobody you may see has this mobile number."))
        return _back(obj)
    _try(request, lambda: services.apply(obj, person, actor=request.user, consent=bool(request.POST.get("consent")),
                                         on_behalf=True), _("%(name)s is entered.") % {"name": person.name})
    return _back(obj)


@scoped(Klass, "change")
@require_POST
def draw(request, obj):
    result = _try(request, lambda: services.draw(obj, actor=request.user, seed=request.POST.get("seed", "")),
                  _("The lottery is drawn."))
    if result:
        messages.info(request, _("%(w)d enrolled, %(q)d on the waitlist.") % {"w": len(result[0]), "q": len(result[1])})
    return _back(obj)


@scoped(Klass, "change")
@require_POST
def withdraw(request, obj):
    row = obj.enrolments.filter(pk=request.POST.get("enrolment") or 0).first() \
        if (request.POST.get("enrolment") or "").isdigit() else None
    if row is None:
        messages.error(request, _("Choose an enrolment of this class."))
        return _back(obj)
    moved = _try(request, lambda: services.withdraw(row, actor=request.user), _("Withdrawn."))
    if moved:
        messages.info(request, _("%(name)s moves up from the waitlist.") % {"name": moved.person.name})
    return _back(obj)


@scoped(Klass, "change")
@require_POST
def lesson(request, obj):
    try:
        start = datetime.fromisoformat(request.POST.get("starts_at", "")).replace(tzinfo=tz())
    except ValueError:
        messages.error(request, _("Give the lesson's start."))
        return _back(obj)
    made = _try(request, lambda: services.schedule_lesson(obj, actor=request.user, starts_at=start,
                                                         ends_at=start + timedelta(minutes=90),
                                                         topic=request.POST.get("topic", "")[:120]),
                _("Lesson scheduled."))
    return redirect("activities:detail", made.activity_id) if made else _back(obj)


@scoped(Lecturer, "view", kind="list")
def lecturers(request, qs):
    if request.GET.get("q"):
        qs = qs.filter(person__name__icontains=request.GET["q"].strip())
    page = Paginator(qs.select_related("person", "area").annotate(n=Count("lessons")).order_by("area__path", "pk"),
                     50).get_page(request.GET.get("page"))
    return render(request, "colleges/lecturers.html", {"page": page})
