"""The case REST API. Every read goes through ``Case.objects.visible_to(user, action)``; every write through
``lianxin.cases.services``. Out of scope answers 404, in scope without the right 403, as on the web.

Each route carries its ``lianxin_scope`` (see ``scoped_api``) so the permission matrix covers it.
"""

from datetime import date, datetime, time
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from lianxin.areas.models import Area
from lianxin.cases import queries, services
from lianxin.cases.models import Case, Category, Source, Stage, Urgency
from lianxin.cases.move_forms import FORMS
from lianxin.cases.stats import Scope as StatsScope
from lianxin.cases.stats import compute
from lianxin.cases.types import TYPES
from lianxin.cases.views import COLOURS, EVENT_LABELS, filter_cases, move_form, perform_move, stats_area
from lianxin.core import clock
from lianxin.core.visibility import Scope, may_anywhere
from lianxin.orgs.models import Org
from lianxin.workdays.calendar import tz

from .serializers import (
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseSerializer,
    ErrorSerializer,
    MoveResultSerializer,
    MoveSerializer,
    StatsSerializer,
)


def scoped_api(view_cls, model, action="view", *, kind, lookup="pk", sample=None, subset=False):
    """The DRF view as a route with its scope declaration.

    A browser without a session is sent to the login page like everywhere else; programs (an
    Authorization header, or asking for JSON) get DRF's 401 instead.
    """
    inner = view_cls.as_view()

    @wraps(inner)
    def wrapper(request, *args, **kwargs):
        programmatic = "HTTP_AUTHORIZATION" in request.META or "json" in request.headers.get("Accept", "")
        if not request.user.is_authenticated and not programmatic:
            return redirect_to_login(request.get_full_path())
        return inner(request, *args, **kwargs)

    wrapper.lianxin_scope = Scope(model, action, kind, lookup, sample, subset)
    return wrapper


class CaseObjectView(APIView):
    """Loads the case in ``initial``, before method dispatch: a case out of scope is 404 for every method."""

    action = "view"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        case = (Case.objects.visible_to(request.user, "view").filter(pk=kwargs.get("pk"))
                .select_related("category", "category__parent", "area", "lead_org", "reporter").first())
        if case is None:
            raise Http404
        if self.action != "view" and not Case.objects.visible_to(request.user, self.action).filter(pk=case.pk).exists():
            raise PermissionDenied
        self.case = case


class CasePagination(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _choice(value, allowed, name):
    if value in (None, ""):
        return None
    if value not in allowed:
        raise ValidationError(_("Unknown value for %(name)s.") % {"name": name})
    return value


def _board_filters(request) -> dict:
    """The board's filters from the query string; a bad value is a 400, not an ignored filter."""
    p = request.query_params
    data = {"q": (p.get("q") or "").strip()[:60]}
    data["stage"] = _choice(p.get("stage"), Stage.values, "stage")
    data["type"] = _choice(p.get("type"), list(TYPES), "type")
    data["urgency"] = _choice(p.get("urgency"), Urgency.values, "urgency")
    data["source"] = _choice(p.get("source"), Source.values, "source")
    data["colour"] = _choice(p.get("colour"), [str(c) for c, _label in COLOURS], "colour")
    data["open"] = (p.get("open") or "").lower() in ("1", "true", "yes")
    if p.get("category"):
        cls = Category.objects.filter(parent__isnull=True, full_code=p["category"]).first() \
            or (Category.objects.filter(parent__isnull=True, pk=p["category"]).first() if p["category"].isdigit()
                else None)
        if cls is None:
            raise ValidationError(_("Unknown category class."))
        data["category"] = cls.pk
    for key, model in (("area", Area), ("unit", Org)):
        if p.get(key):
            obj = model.objects.visible_to(request.user).filter(pk=p[key]).first() if p[key].isdigit() else None
            if obj is None:
                raise ValidationError(_("Unknown %(name)s.") % {"name": key})
            data[key] = obj
    return data


def _error(message, code=status.HTTP_400_BAD_REQUEST):
    return Response({"detail": message}, status=code)


def _messages(e: ValidationError) -> str:
    return " ".join(e.messages)


FILTERS = [OpenApiParameter(n, str, description=d) for n, d in (
    ("q", "Case number or words of the title"), ("stage", "Stage"), ("type", "Case type"),
    ("category", "Category class (code or id)"), ("colour", "blue, yellow, red, parked, closed_on_time, "
                                                              "closed_late"),
    ("urgency", "Urgency"), ("source", "Source"), ("area", "Area id (subtree)"), ("unit", "Lead unit id"),
    ("open", "true: open cases only"))]


class CaseListView(APIView):
    @extend_schema(parameters=FILTERS, responses={200: CaseSerializer(many=True), 400: ErrorSerializer})
    def get(self, request):
        """Cases visible to the caller, newest first, with the board's filters; cursor pagination."""
        try:
            data = _board_filters(request)
        except ValidationError as e:
            return _error(_messages(e))
        qs = filter_cases(Case.objects.visible_to(request.user, "view"), data, clock.now())
        qs = qs.select_related("category", "category__parent", "area", "lead_org")
        paginator = CasePagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(CaseSerializer(page, many=True).data)

    @extend_schema(request=CaseCreateSerializer,
                   parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER,
                                                description="A retry with the same key returns the first case.")],
                   responses={201: CaseDetailSerializer, 200: CaseDetailSerializer, 400: ErrorSerializer,
                              403: ErrorSerializer})
    def post(self, request):
        """Report a problem (an event in a public category), as the web's quick report does."""
        if not may_anywhere(request.user, Case, "add"):
            raise PermissionDenied
        form = CaseCreateSerializer(data=request.data)
        if not form.is_valid():
            return Response(form.errors, status=status.HTTP_400_BAD_REQUEST)
        d = form.validated_data
        category = _public_category(str(d["category"]))
        if category is None:
            return _error(_("Choose what kind of problem it is."))
        area = None
        if d.get("area") is not None:
            area = queries.reportable_area(d["area"])
            if area is None:
                return _error(_("The chosen area does not exist."))
        if (d.get("lng") is None) != (d.get("lat") is None):
            return _error(_("Give both longitude and latitude."))
        key = (request.headers.get("Idempotency-Key") or "").strip()
        if len(key) > 80:
            return _error(_("The Idempotency-Key is longer than 80 characters."))
        description = (d.get("description") or "").strip()
        try:
            outcome = services.report(
                actor=request.user, type="event", category=category,
                title=(d.get("title") or "").strip() or (description.splitlines() or [""])[0][:40],
                description=description, area=area, lng=d.get("lng"), lat=d.get("lat"),
                address=(d.get("address") or "").strip(), urgency=d.get("urgency") or Urgency.NORMAL,
                source="report", idempotency_key=key or None,
            )
        except ValidationError as e:
            return _error(_messages(e))
        if outcome.created:
            # The reporter sees their own case: answer from what was just written instead of reading it back.
            return Response(_detail(request, outcome.case, [outcome.event]), status=status.HTTP_201_CREATED)
        return Response(_detail(request, outcome.case), status=status.HTTP_200_OK)


def _public_category(code: str) -> Category | None:
    """The sub-category offered for quick reports (queries.public_categories) with this full code or id."""
    pk = int(code) if code.isdigit() and len(code) < 12 and str(int(code)) == code else None
    # The list is in full-code order: a full code that is also another category's id wins when it comes first.
    return next((c for c in queries.public_categories() if c.full_code == code or c.pk == pk), None)


def _detail(request, case, events=None) -> dict:
    """The case with its timeline; ``events``: the case's events when the caller has just written all of them."""
    fresh = events is not None
    if not fresh:
        case = Case.objects.visible_to(request.user, "view").select_related(
            "category", "category__parent", "area", "lead_org", "reporter").get(pk=case.pk)
        events = case.events.select_related("actor", "actor__person").order_by("at", "pk")
    hide = services.reporter_hidden_from(case, request.user)
    rows = []
    for e in events:
        actor = None
        if e.actor_id and not (hide and e.actor_id == case.reporter_id):
            actor = e.actor.display_name
        rows.append({"kind": e.kind, "label": str(EVENT_LABELS.get(e.kind, e.kind)), "at": e.at,
                     "from_stage": e.from_stage, "to_stage": e.to_stage, "note": e.note, "actor": actor})
    # A case whose events were all just written has no assignments yet.
    moves = services.available_moves(request.user, case, assignments=() if fresh else None)
    context = {"hide_reporter": hide, "events": rows, "moves": moves}
    return CaseDetailSerializer(case, context=context).data


class CaseDetailView(CaseObjectView):
    @extend_schema(responses={200: CaseDetailSerializer, 404: ErrorSerializer})
    def get(self, request, pk):
        """One case with its timeline and the moves the caller may make now."""
        return Response(_detail(request, self.case))


class CaseMoveView(CaseObjectView):
    @extend_schema(request=MoveSerializer, responses={
        200: MoveResultSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer,
        409: ErrorSerializer})
    def post(self, request, pk, name):
        """Make a move (accept, dispatch, feedback, verify, ...) through the case services."""
        case = self.case
        if name not in FORMS:
            raise Http404
        body = MoveSerializer(data=request.data)
        if not body.is_valid():
            return Response(body.errors, status=status.HTTP_400_BAD_REQUEST)
        d = body.validated_data
        if d["version"] != case.version:
            return _error(_("Someone else changed this case meanwhile. Reload it and try again."),
                          status.HTTP_409_CONFLICT)
        if name not in services.available_moves(request.user, case):
            return _error(_("This move is not possible for you on this case now."), status.HTTP_403_FORBIDDEN)
        data = {}
        for field, value in d.items():
            if isinstance(value, bool):
                value = "1" if value else "0"
            data[f"{name}-{field}"] = value
        form = move_form(case, name, request.user, data)
        if not form.is_valid():
            return Response({k: [str(m) for m in v] for k, v in form.errors.items()},
                            status=status.HTTP_400_BAD_REQUEST)
        try:
            with transaction.atomic():
                outcome = perform_move(name, case, request.user, form.cleaned_data, None)
        except services.Conflict as e:
            return _error(_messages(e), status.HTTP_409_CONFLICT)
        except services.MoveRefused as e:
            return _error(str(e), status.HTTP_403_FORBIDDEN)
        except ValidationError as e:
            return _error(_messages(e))
        fresh = Case.objects.visible_to(request.user, "view").select_related(
            "category", "category__parent", "area", "lead_org").filter(pk=case.pk).first()
        return Response({"case": CaseSerializer(fresh or outcome.case).data, "event": outcome.event.kind})


def _date(value, default: date) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise ValidationError(_("Dates are written YYYY-MM-DD.")) from e


class CaseStatsView(APIView):
    @extend_schema(parameters=[OpenApiParameter("area", int), OpenApiParameter("start", str),
                               OpenApiParameter("end", str), OpenApiParameter("type", str)],
                   responses={200: StatsSerializer, 400: OpenApiResponse(ErrorSerializer)})
    def get(self, request):
        """The case statistics (DESIGN: computed from events) of an area the caller sees, for [start, end)."""
        today = clock.today()
        try:
            start = _date(request.query_params.get("start"), date(today.year, 1, 1))
            end = _date(request.query_params.get("end"), today)
        except ValidationError as e:
            return _error(_messages(e))
        if end <= start or (end - start).days > 3 * 366:
            return _error(_("Choose a period of up to three years."))
        case_type = request.query_params.get("type") or None
        if case_type is not None and case_type not in TYPES:
            return _error(_("Unknown value for %(name)s.") % {"name": "type"})
        area = stats_area(request, request.query_params.get("area"))
        zone = tz()
        figures = compute(datetime.combine(start, time.min, tzinfo=zone), datetime.combine(end, time.min, tzinfo=zone),
                          StatsScope(area_path=area.path, case_type=case_type))
        return Response({"area": area.pk, "start": start, "end": end, "figures": figures})
