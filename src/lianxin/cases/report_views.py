"""The 30-second quick report on a phone, the duplicate check, and the reporter's "my reports".

Rules chosen here (see also the module docs of ``queries``):

* Who may report: anyone whose role may add cases somewhere (resident/rider, grid worker, staff). A
  public report may be filed anywhere in the city, not only in the reporter's home area: riders roam.
* The duplicate list shows open cases of the same category near the point whether or not the reporter
  could otherwise see them, with public fields only (number, title, stage, distance).
* Following from that list: allowed for an open case of a public category lying within the category's
  duplicate radius of the point the person reports from (the same test the list used). Following then
  makes the case part of what the person is involved in (it shows in "my reports").
* The return visit by the reporter is part of the rating: "not fixed" is written into the rating's
  note (services.rate) for the verifier to act on; only staff record a 回访 (services.revisit).
* A retried submission carries the same client key: a replay answers 200 with the first case.
"""


from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_ratelimit.decorators import ratelimit

from lianxin.areas.services import check_point_in_city, locate
from lianxin.core.models import StoredFile
from lianxin.core.resubmit import new_key
from lianxin.core.uploads import store_upload
from lianxin.core.visibility import personal, scoped

from . import queries, services
from .models import Case, Nature, Stage

MAX_DESCRIPTION = services.Limits.DESCRIPTION

# How the reporter reads the timeline: plainer words than the staff move labels in move_forms.EVENT_LABELS.
REPORTER_EVENT_LABELS = {
    "report": gettext_lazy("Reported"),
    "accept": gettext_lazy("Accepted"),
    "refuse": gettext_lazy("Not accepted"),
    "dispatch": gettext_lazy("Sent to the handling unit"),
    "redispatch": gettext_lazy("Passed on"),
    "handler_accept": gettext_lazy("Taken on by the handler"),
    "return": gettext_lazy("Sent back for dispatch"),
    "progress": gettext_lazy("Progress"),
    "feedback": gettext_lazy("Handled"),
    "verify": gettext_lazy("Checked"),
    "rate": gettext_lazy("Rated"),
    "revisit": gettext_lazy("Return visit"),
    "escalate": gettext_lazy("Escalated"),
    "merge": gettext_lazy("Merged into another case"),
    "close_without_fix": gettext_lazy("Closed"),
    "void_decide": gettext_lazy("Voided"),
    "edit": gettext_lazy("Edited by the reporter"),
    "withdraw": gettext_lazy("Withdrawn by the reporter"),
}
# Kinds whose note the reporter sees (their own words, or the reason given to them).
NOTE_KINDS = {"refuse", "close_without_fix", "rate", "withdraw"}


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def detail_url(case: Case) -> str:
    """The case page when it exists; otherwise the case's entry in "my reports"."""
    try:
        return reverse("cases:detail", kwargs={"pk": case.pk})
    except NoReverseMatch:
        return reverse("cases:my_reports") + f"#case-{case.number}"


def js_strings() -> dict:
    """The page script's words, translated on the server."""
    return {
        "locating": _("Finding where you are…"),
        "located": _("You are in %(grid)s."),
        "no_grid": _("This point is not inside any grid of the city: move the pin or type the address."),
        "denied": _("Location is off. Type the address and choose the area."),
        "coords": _("Longitude %(lng)s, latitude %(lat)s"),
        "photo_ready": _("Photo ready (%(kb)s KB)."),
        "photo_bad": _("This file is not a picture. Choose a photo."),
        "no_match": _("Nothing matches. Try another word."),
        "searching": _("Searching…"),
        "pick": _("Choose"),
        "nearby_title": _("Already reported nearby — same problem?"),
        "follow": _("Same problem: follow it instead"),
        "following": _("You follow case %(n)s. No need to report it again."),
        "metres": _("%(m)s m away"),
        "sending": _("Sending…"),
        "saved_offline": _("No connection. Your report is kept on this phone and will be sent again "
                           "automatically."),
        "retrying": _("Trying again…"),
        "sent": _("Thank you. Your report %(n)s was received."),
        "open_case": _("See it in my reports"),
        "resumed": _("An unsent report was found on this phone. It is being sent now."),
        "server_error": _("The server could not take the report right now. It will be sent again."),
    }


def _form_context(request, *, key=None, values=None, error=None) -> dict:
    return {
        "strings": js_strings(),
        "categories": queries.report_choices(),
        "natures": Nature.choices,
        "grids": queries.home_grids(request.user),
        "key": key or new_key(),
        "values": values or {},
        "error": error,
        "max_description": MAX_DESCRIPTION,
    }


def _report_error(request, message: str, status: int = 400):
    if wants_json(request):
        return JsonResponse({"error": message}, status=status)
    values = {k: request.POST.get(k, "") for k in ("type", "nature", "category", "description", "address", "area",
                                                   "lng", "lat", "consent")}
    ctx = _form_context(request, key=request.POST.get("idempotency_key") or None, values=values, error=message)
    return render(request, "cases/report.html", ctx, status=status)


# The web form's words for intake refusals that name the form's own controls.
WEB_MESSAGES = {
    "no_location": gettext_lazy("Tell us where: allow location on your phone, or type the address and choose "
                                "the area."),
    "no_category": gettext_lazy("Choose what kind of problem it is."),
}


def _intake_message(e: ValidationError) -> str:
    code = getattr(e, "code", None)
    return str(WEB_MESSAGES[code]) if code in WEB_MESSAGES else " ".join(e.messages)


@scoped(Case, "add", kind="create")
def report(request):
    """GET: the quick-report page. POST (multipart): file it; JSON for the page's script, else redirect.

    The web door of the intake (services.clean_report): it maps the form's fields and shows the intake's
    refusals; the consent box and the photo upload are the form's own."""
    if request.method == "GET":
        return render(request, "cases/report.html", _form_context(request))
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    data = request.POST
    key = (data.get("idempotency_key") or "").strip()[:80]
    if not key:
        return _report_error(request, _("The form is missing its submission key. Reload the page and try again."))
    if data.get("consent") not in ("1", "on", "true", "yes"):
        return _report_error(request, _("Please agree to the use of your personal data for handling this report."))
    case_type = data.get("type") or "event"
    if case_type not in queries.PUBLIC_TYPES:
        return _report_error(request, _("Choose whether you report a problem or raise an appeal."))
    category = queries.offered_category(data.get("category"), case_type)
    chosen = queries.reportable_area(data.get("area")) if data.get("area") else None
    if data.get("area") and chosen is None:
        return _report_error(request, _("The chosen area does not exist."))
    nature = (data.get("nature") or "") if case_type == "appeal" else ""
    try:
        sub = services.clean_report(
            actor=request.user, door="web", type=case_type, category=category,
            description=data.get("description") or "", lng=(data.get("lng") or "").strip() or None,
            lat=(data.get("lat") or "").strip() or None, address=data.get("address") or "", area=chosen,
            nature=nature, idempotency_key=key)
    except services.IntakeError as e:
        return _report_error(request, _intake_message(e))
    stored = None
    if request.FILES.get("photo"):
        try:
            stored = store_upload(request.FILES["photo"], owner=request.user, area=sub.area, accept=("image",))
        except ValidationError as e:
            return _report_error(request, " ".join(e.messages))
    try:
        outcome = services.file_report(sub, photos=[stored] if stored else [])
    except ValidationError as e:
        _discard(stored)
        return _report_error(request, " ".join(e.messages))
    if not outcome.created:
        _discard(stored)  # the retry's copy of the photo: the first case keeps its own
    case = outcome.case
    if wants_json(request):
        return JsonResponse({"number": case.number, "url": detail_url(case), "created": outcome.created},
                            status=201 if outcome.created else 200)
    messages.success(request, _("Thank you. Your report %(n)s was received.") % {"n": case.number})
    return redirect(reverse("cases:my_reports") + f"#case-{case.number}")


def _discard(stored) -> None:
    if stored is not None:
        stored.file.delete(save=False)
        stored.delete()


def _float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@personal
@ratelimit(key="user_or_ip", rate=lambda _group, _request: settings.NEARBY_RATE, block=False)
def nearby(request):
    """Open events of the category near the point, with only what a duplicate warning needs: "same problem? follow
    it". Never appeals or confidential categories; titles masked; rate-limited per account (a probe of the map)."""
    if getattr(request, "limited", False):
        return JsonResponse({"cases": [], "radius_m": None,
                             "error": _("Too many look-ups in a short time; please wait a minute.")}, status=429)
    lng, lat = _float(request.GET.get("lng")), _float(request.GET.get("lat"))
    category = queries.public_category(request.GET.get("category"))
    if lng is None or lat is None or category is None or category.confidential or category.parent.confidential:
        return JsonResponse({"cases": [], "radius_m": None})
    try:
        check_point_in_city(lng, lat)
    except ValidationError as e:
        return JsonResponse({"cases": [], "radius_m": None, "error": " ".join(e.messages)}, status=400)
    found = queries.nearby_open_cases(lng, lat, category)
    rows = [{k: f[k] for k in ("pk", "number", "title", "category", "stage_label", "distance_m")} for f in found]
    return JsonResponse({"cases": rows, "radius_m": category.duplicate_radius_m})


@personal
def nearby_follow(request):
    """Follow a case offered by the duplicate check instead of reporting it again."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    lng, lat = _float(request.POST.get("lng")), _float(request.POST.get("lat"))
    case = queries.followable_case(request.POST.get("case"), lng, lat) if lng is not None and lat is not None \
        else None
    if case is None:
        message = _("This case can no longer be followed from here.")
        if wants_json(request):
            return JsonResponse({"error": message}, status=400)
        messages.error(request, message)
        return redirect("cases:report")
    services.follow(case, user=request.user)
    if wants_json(request):
        return JsonResponse({"number": case.number, "url": reverse("cases:my_reports") + f"#case-{case.number}"})
    messages.success(request, _("You now follow case %(n)s.") % {"n": case.number})
    return redirect(reverse("cases:my_reports") + f"#case-{case.number}")


@personal
def locate_point(request):
    """The grid at a point and the boundaries around it, for the pin on the quick-report page."""
    if not request.GET.get("lng") and not request.GET.get("lat"):
        return JsonResponse({"grid": None, "view": None})
    lng, lat = _float(request.GET.get("lng")), _float(request.GET.get("lat"))
    if lng is None or lat is None:
        return JsonResponse({"error": _("Coordinates must be numbers.")}, status=400)
    try:
        check_point_in_city(lng, lat)
    except ValidationError as e:
        return JsonResponse({"error": " ".join(e.messages)}, status=400)
    grid = locate(lng, lat)
    body = {"lng": lng, "lat": lat, "grid": {"pk": grid.pk, "name": grid.name} if grid else None,
            "view": queries.grid_view(lng, lat, grid)}
    if grid is None:
        body["error"] = _("This location is not inside any grid of the city.")
    return JsonResponse(body)


@personal
def report_grids(request):
    """Grid names matching a search (public names only), for people who see no areas."""
    return JsonResponse({"grids": queries.search_grids(request.GET.get("q", ""))})


# ---------------------------------------------------------------- my reports


def _stage_after(event) -> str:
    """The stage a move led to, when it says more than the move's own label ("Accepted", not "Accepted →
    Accepted")."""
    if event.to_stage not in Stage.values or not event.from_stage or event.from_stage == event.to_stage:
        return ""
    stage = Stage(event.to_stage).label
    label = REPORTER_EVENT_LABELS.get(event.kind)
    return "" if label is not None and str(label) == str(stage) else stage


def _timeline(case: Case, user) -> list[dict]:
    rows = []
    for e in case.events.all():
        own = e.actor_id == user.pk
        rows.append({"at": e.at, "label": REPORTER_EVENT_LABELS.get(e.kind, e.kind.replace("_", " ")),
                     "stage": _stage_after(e),
                     "note": e.note if (e.kind in NOTE_KINDS and (own or e.kind != "rate")) else ""})
    return rows


@personal
def my_reports(request):
    user = request.user
    cases = list(
        Case.objects.visible_to(user).filter(Q(reporter=user) | Q(followers__user=user)).distinct()
        .select_related("category", "category__parent", "area")
        .prefetch_related("events", "events__attachments")
        .order_by("-created_at", "-pk")[:100]
    )
    photo_ids = {}
    for case in cases:
        first = next((e for e in case.events.all() if e.kind == "report"), None)
        photo_ids[case.pk] = [f.pk for f in first.attachments.all()] if first else []
    visible_photos = set(StoredFile.objects.visible_to(user).filter(
        pk__in=[p for ids in photo_ids.values() for p in ids]).values_list("pk", flat=True))
    rows = []
    for case in cases:
        mine = case.reporter_id == user.pk
        rows.append({
            "case": case,
            "mine": mine,
            "url": detail_url(case),
            "timeline": _timeline(case, user),
            "photos": [p for p in photo_ids[case.pk] if p in visible_photos],
            "editable": mine and case.stage == Stage.REPORTED,
            "rateable": mine and case.stage == Stage.CLOSED and case.rating is None,
        })
    return render(request, "cases/my_reports.html", {
        "rows": rows, "categories": queries.public_categories(), "stars": range(1, 6),
    })


def _back(request, case: Case, ok: str | None = None, error: str | None = None):
    if error:
        messages.error(request, error)
    elif ok:
        messages.success(request, ok)
    return redirect(reverse("cases:my_reports") + f"#case-{case.number}")


def _own_move(request, case: Case, move):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if case.reporter_id != request.user.pk:
        raise PermissionDenied
    try:
        message = move()
    except services.MoveRefused as e:
        return _back(request, case, error=str(e))
    except ValidationError as e:
        return _back(request, case, error=" ".join(e.messages))
    return _back(request, case, ok=message)


@scoped(Case, "view")
def my_edit(request, obj):
    def move():
        category = None
        if request.POST.get("category"):
            category = queries.public_category(request.POST["category"])
            if category is None:
                raise ValidationError(_("Choose what kind of problem it is."))
        services.edit_report(obj, actor=request.user, title=request.POST.get("title"),
                             description=(request.POST.get("description") or "")[:MAX_DESCRIPTION],
                             category=category, version=_int(request.POST.get("version")))
        return _("Your report %(n)s was changed.") % {"n": obj.number}

    return _own_move(request, obj, move)


@scoped(Case, "view")
def my_withdraw(request, obj):
    def move():
        services.withdraw(obj, actor=request.user, reason=(request.POST.get("reason") or "")[:500])
        return _("Your report %(n)s was withdrawn.") % {"n": obj.number}

    return _own_move(request, obj, move)


@scoped(Case, "view")
def my_rate(request, obj):
    def move():
        fixed = request.POST.get("fixed")
        if fixed not in ("yes", "no"):
            raise ValidationError(_("Tell us whether the problem is fixed."))
        comment = (request.POST.get("comment") or "").strip()[:500]
        note = comment
        if fixed == "no":
            note = _("Not fixed, says the reporter.") + (f" {comment}" if comment else "")
        services.rate(obj, actor=request.user, stars=request.POST.get("stars"), note=note)
        return _("Thank you for rating case %(n)s.") % {"n": obj.number}

    return _own_move(request, obj, move)
