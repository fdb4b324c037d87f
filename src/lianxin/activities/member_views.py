"""The participant's phone pages (their own activities, personal): upcoming activities they are listed for or
offered, sign up / withdraw / 请假, and sign-in by scanning the organiser's rotating QR code."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.core.visibility import personal

from . import queries, services
from .models import Participation


def _person(request):
    return getattr(request.user, "person", None)


@personal
def mine(request):
    person = _person(request)
    items, rows = [], {}
    if person is not None:
        items = list(queries.for_person(person))
        rows = queries.participation_of(person, items)
    for a in items:
        a.mine = rows.get(a.pk)
        a.left = services.seats_left(a) if a.seat_limit else None
    return render(request, "activities/mine.html", {"items": items, "person": person,
                                                    "Participation": Participation})


@personal
@require_POST
def respond(request):
    """Sign up, withdraw or ask for leave (请假) for one activity (its id in the form)."""
    person = _person(request)
    activity = queries.activity_for(person, request.POST.get("activity")) if person else None
    if activity is None:
        messages.error(request, _("This activity is not open to you."))
        return redirect("activities:mine")
    op = request.POST.get("op")
    try:
        if op == "withdraw":
            services.withdraw(activity, person, actor=request.user)
            messages.success(request, _("You have withdrawn."))
        elif op == "excuse":
            services.excuse(activity, person, actor=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Your absence is recorded."))
        else:
            row = services.sign_up(activity, person, actor=request.user)
            if row.status == Participation.WAITLISTED:
                messages.info(request, _("All seats are taken: you are on the waitlist and will be told when a "
                                         "seat frees."))
            else:
                messages.success(request, _("You are signed up."))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("activities:mine")


@personal
def scan(request, activity=None, token=""):
    """What the organiser's QR code opens: confirm, then signed in (GET never changes anything)."""
    person = _person(request)
    obj = queries.activity_for(person, activity) if person and activity else None
    if obj is None:
        return render(request, "activities/scan.html", {"problem": _("This code is not for an activity of yours.")},
                      status=404 if activity else 200)
    done = obj.participants.filter(person=person, status=Participation.ATTENDED).exists()
    problem = ""
    if request.method == "POST" and not done:
        try:
            services.sign_in(obj, person, actor=request.user, method="qr", token=token)
        except ValidationError as e:
            problem = " ".join(e.messages)
        else:
            return redirect("activities:scan", activity=obj.pk, token=token)
    return render(request, "activities/scan.html", {"obj": obj, "done": done, "problem": problem,
                                                    "a": services.attendance(obj) if done else None})
