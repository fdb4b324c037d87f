"""The case REST API. Every read goes through ``Case.objects.visible_to(user, action)``; every write through
``lianxin.cases.services``. Out of scope answers 404, in scope without the right 403, as on the web.

Each route carries its ``lianxin_scope`` (see ``scoped_api``) so the permission matrix covers it.
"""

from datetime import date, datetime, time
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from lianxin.cases import queries, services
from lianxin.cases.filters import CaseFilter
from lianxin.cases.models import Case, Category, Urgency
from lianxin.cases.move_forms import EVENT_LABELS, FORMS, move_form, perform_move
from lianxin.cases.stats import Scope as StatsScope
from lianxin.cases.stats import compute, stats_area
from lianxin.cases.types import TYPES
from lianxin.core import clock
from lianxin.core.visibility import Scope, may_anywhere
from lianxin.workdays.calendar import tz

from .errors import body as error_body
from .errors import error, invalid
from .serializers import (
    CaseCreateSerializer,
    CaseDetailSerializer,
    CasePageSerializer,
    CaseSerializer,
    ErrorSerializer,
    MoveResultSerializer,
    MoveSerializer,
    StatsSerializer,
)


def scoped_api(view_cls, model, action="view", *, kind, lookup="pk", sample=None, subset=False):
    """The DRF view as a route with its scope declaration.

    A call without a session or a key gets a JSON 401 (``WWW-Authenticate: Token``), never the HTML login page:
    this is an interface for programs (see errors.py for the shape of every refusal). A body larger than
    ``API_MAX_BODY_BYTES`` is refused with 413 before it is read.
    """
    inner = view_cls.as_view()

    @wraps(inner)
    def wrapper(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.API_MAX_BODY_BYTES:  # before anything reads it
            return JsonResponse(error_body(_("The request body is larger than %(n)d KB.")
                                     % {"n": settings.API_MAX_BODY_BYTES // 1024}, "too_large"), status=413)
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


def _filter_error(errors) -> str:
    """The 400's message for the case list's first bad parameter, in the words the API has always used."""
    for name in ("stage", "type", "urgency", "source", "colour"):
        if name in errors:
            return _("Unknown value for %(name)s.") % {"name": name}
    if "category" in errors:
        return _("Unknown category class.")
    for name in ("area", "unit"):
        if name in errors:
            return _("Unknown %(name)s.") % {"name": name}
    return " ".join(str(m) for messages in errors.values() for m in messages)


def errors_of(*codes: int) -> dict:
    """The error answers an operation documents: its own, and 401, 405 and 500, which any may give."""
    return {code: ErrorSerializer for code in sorted({*codes, 401, 405, 500})}


def _error(message, code=status.HTTP_400_BAD_REQUEST):
    return error(message, code)


def _messages(e: ValidationError) -> str:
    return " ".join(e.messages)


FILTERS = [OpenApiParameter(n, str, description=d) for n, d in (
    ("q", "Case number or words of the title"), ("stage", "Stage"), ("type", "Case type"),
    ("category", "Category class (code or id)"), ("colour", "blue, yellow, red, parked, closed_on_time, "
                                                              "closed_late"),
    ("urgency", "Urgency"), ("source", "Source"), ("area", "Area id (subtree)"), ("unit", "Lead unit id"),
    ("open", "true: open cases only"))]


class CaseListView(APIView):
    @extend_schema(operation_id="cases_list", parameters=FILTERS, responses={200: CasePageSerializer, **errors_of(400)})
    def get(self, request):
        """Cases visible to the caller, newest first, with the board's filters; cursor pagination."""
        filters = CaseFilter(request.query_params, Case.objects.visible_to(request.user, "view"), user=request.user,
                             now=clock.now())
        if not filters.is_valid():
            return _error(_filter_error(filters.errors))
        qs = filters.qs.select_related("category", "category__parent", "area", "lead_org")
        paginator = CasePagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(CaseSerializer(page, many=True).data)

    @extend_schema(request=CaseCreateSerializer,
                   parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER,
                                                description="A retry with the same key returns the first case.")],
                   responses={201: CaseDetailSerializer, 200: CaseDetailSerializer, **errors_of(400, 403, 413, 415)})
    def post(self, request):
        """Report an event or an appeal (public categories, as the web's quick report does), or, for staff and
        grid workers, a hazard with its level. Refusals name the ``field`` at fault."""
        if not may_anywhere(request.user, Case, "add"):
            raise PermissionDenied
        form = CaseCreateSerializer(data=request.data)
        if not form.is_valid():
            return invalid(form.errors)
        d = form.validated_data
        case_type = d.get("type") or "event"
        category = _category(str(d["category"]), case_type)
        if category is None:
            return _error(_("Choose what kind of problem it is."))
        area = None
        if d.get("area") is not None:
            area = queries.reportable_area(d["area"])
            if area is None:
                return _error(_("The chosen area does not exist."))
        key = (request.headers.get("Idempotency-Key") or "").strip()
        if len(key) > services.Limits.KEY:
            return _error(_("The Idempotency-Key is longer than 80 characters."))
        try:
            outcome = services.report(
                actor=request.user, door="rest", type=case_type, category=category, title=d.get("title") or "",
                description=d.get("description") or "", area=area, lng=d.get("lng"), lat=d.get("lat"),
                address=d.get("address") or "", urgency=d.get("urgency") or Urgency.NORMAL, source="report",
                nature=d.get("nature") or "", hazard_level=d.get("hazard_level") or "", idempotency_key=key or None,
            )
        except services.IntakeError as e:  # the one error shape, the field at fault named under errors and field
            response = invalid({e.field: [_messages(e)]}) if e.field else _error(_messages(e))
            response.data["field"] = e.field
            return response
        except ValidationError as e:
            return _error(_messages(e))
        if outcome.created:
            # The reporter sees their own case: answer from what was just written instead of reading it back.
            return Response(_detail(request, outcome.case, [outcome.event]), status=status.HTTP_201_CREATED)
        return Response(_detail(request, outcome.case), status=status.HTTP_200_OK)


def _category(code: str, case_type: str) -> Category | None:
    """The sub-category with this full code or id that may be chosen for ``case_type``: for events and appeals
    one offered to the public (queries.offered_categories); for hazards any active one used for hazards."""
    pk = int(code) if code.isdigit() and len(code) < 12 and str(int(code)) == code else None
    if case_type in queries.PUBLIC_TYPES:
        offered = queries.offered_categories(case_type)
    else:
        offered = [c for c in Category.objects.filter(parent__isnull=False, is_active=True, parent__is_active=True)
                   .select_related("parent").order_by("full_code") if c.allows_type(case_type)]
    # The list is in full-code order: a full code that is also another category's id wins when it comes first.
    return next((c for c in offered if c.full_code == code or c.pk == pk), None)


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
    @extend_schema(responses={200: CaseDetailSerializer, **errors_of(404)})
    def get(self, request, pk):
        """One case with its timeline and the moves the caller may make now."""
        return Response(_detail(request, self.case))


class CaseMoveView(CaseObjectView):
    @extend_schema(request=MoveSerializer,
                   responses={200: MoveResultSerializer, **errors_of(400, 403, 404, 409, 413, 415)})
    def post(self, request, pk, name):
        """Make a move (accept, dispatch, feedback, verify, ...) through the case services."""
        case = self.case
        if name not in FORMS:
            raise Http404
        body = MoveSerializer(data=request.data)
        if not body.is_valid():
            return invalid(body.errors)
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
            return invalid(form.errors)
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
                   responses={200: StatsSerializer, **errors_of(400)})
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
        area = stats_area(request.user, request.query_params.get("area"))
        zone = tz()
        figures = compute(datetime.combine(start, time.min, tzinfo=zone), datetime.combine(end, time.min, tzinfo=zone),
                          StatsScope(area_path=area.path, case_type=case_type))
        return Response({"area": area.pk, "start": start, "end": end, "figures": figures})
