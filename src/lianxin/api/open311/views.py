"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at /open311/v2/.

Reading is public and goes through ``queries`` (public fields of published requests only). Filing a
request needs an API key (``lianxin api_key create``); the key's owner is the reporter of the case, and
the personal fields a client may send (email, names, phone, device and account ids) are accepted and
dropped: they are neither stored nor returned. Extensions: ``page``/``page_size`` and ``extensions=true``
(public notes) on requests, a client ``token`` (or an ``Idempotency-Key`` header) that makes a retried
POST return the first request, the ``servicerequestupdates`` feed of status changes, and on POST
``case_type`` (event or appeal) with an appeal's ``nature``. Filing goes through the case intake
(``cases.services.clean_report``): the same rules and limits as every other door.
"""

from datetime import datetime, timedelta
from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from lianxin.api.models import ApiKey
from lianxin.cases import services
from lianxin.core import clock
from lianxin.core.visibility import public

from . import queries
from .render import errors, respond, w3c

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = datetime(2026, 5, 1, tzinfo=timezone.get_fixed_timezone(8 * 60))  # when this interface last changed
DEFAULT_DAYS = 90
MAX_PAGE_SIZE = 1000
# servicerequestupdates: GeoReport v2's update states (as used by FixMyStreet and others).
UPDATE_STATUS = {"reported": "OPEN", "accepted": "ACTION_SCHEDULED", "dispatched": "IN_PROGRESS",
                 "handling": "IN_PROGRESS", "verifying": "IN_PROGRESS", "refused": "CLOSED", "voided": "CLOSED"}
CLOSED_STATUS = {"fixed": "FIXED", "duplicate": "DUPLICATE", "not_remit": "NOT_COUNCILS_RESPONSIBILITY",
                 "no_action": "NO_FURTHER_ACTION"}


class Open311Error(Exception):
    def __init__(self, status: int, description):
        super().__init__(description)
        self.status, self.description = status, description


def endpoint(methods=("GET",)):
    """Public, CSRF-exempt (programs post here), errors as a GeoReport error list in the asked format."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, fmt, **kwargs):
            if request.method not in methods:
                response = errors(fmt, 405, _("This method is not allowed here."))
                response["Allow"] = ", ".join(methods)
                return response
            try:
                _jurisdiction(_param(request.GET, "jurisdiction_id") or _param(request.POST, "jurisdiction_id"))
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as e:
                return errors(fmt, e.status, e.description)

        return public(csrf_exempt(wrapper))

    return decorator


def _param(data, name: str) -> str | None:
    """A parameter's value; an empty value counts as absent."""
    value = (data.get(name) or "").strip()
    return value or None


def _jurisdiction(value: str | None) -> None:
    if value is not None and value != settings.OPEN311_JURISDICTION:
        raise Open311Error(404, _("Unknown jurisdiction_id."))


def _moment(value: str | None, name: str, end_of_day=False) -> datetime | None:
    if value is None:
        return None
    try:
        moment = parse_datetime(value)
        if moment is None and (day := parse_date(value)) is not None:
            moment = datetime.combine(day, datetime.max.time() if end_of_day else datetime.min.time())
    except ValueError:
        moment = None
    if moment is None:
        raise Open311Error(400, _("%(name)s is not a W3C date and time (e.g. 2026-05-04T09:30:00+08:00).")
                           % {"name": name})
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _period(data) -> tuple[datetime, datetime]:
    start = _moment(_param(data, "start_date"), "start_date")
    end = _moment(_param(data, "end_date"), "end_date", end_of_day=True)
    end = end or (start + timedelta(days=DEFAULT_DAYS) if start else clock.now())
    start = start or end - timedelta(days=DEFAULT_DAYS)
    if end < start:
        raise Open311Error(400, _("end_date lies before start_date."))
    return start, end


def _page(data) -> tuple[int, int]:
    try:
        page = int(_param(data, "page") or 1)
        size = int(_param(data, "page_size") or MAX_PAGE_SIZE)
    except ValueError as e:
        raise Open311Error(400, _("page and page_size are whole numbers.")) from e
    if page < 1 or not 1 <= size <= MAX_PAGE_SIZE:
        raise Open311Error(400, _("page starts at 1; page_size is 1 to %(n)d.") % {"n": MAX_PAGE_SIZE})
    return (page - 1) * size, size


def _flag(data, name: str) -> bool:
    return (_param(data, name) or "").lower() in ("true", "1", "yes")


def _media_url(request, file_id) -> str:
    return request.build_absolute_uri(reverse("open311:media", kwargs={"file_id": file_id})) if file_id else ""


def _request_row(request, row: dict, extensions: bool) -> dict:
    out = {
        "service_request_id": row["number"], "status": row["status"], "status_notes": row["status_notes"],
        "service_name": row["service_name"], "service_code": row["service_code"],
        "description": row["description"], "agency_responsible": row["agency_responsible"],
        "service_notice": "", "requested_datetime": w3c(row["requested"]),
        "updated_datetime": w3c(row["updated"]), "expected_datetime": w3c(row["expected"]),
        "address": row["address"], "address_id": "", "zipcode": "", "lat": row["lat"], "long": row["long"],
        "media_url": _media_url(request, row["photo"]),
    }
    if extensions:
        out["extended_attributes"] = {"stage": row["stage"]}
        out["notes"] = [{"type": n["kind"], "datetime": w3c(n["at"]), "description": n["description"]}
                        for n in row.get("notes", [])]
    return out


# ---------------------------------------------------------------- discovery and services


@endpoint()
def discovery(request, fmt):
    base = request.build_absolute_uri(reverse("open311:discovery_json")).rsplit("/", 1)[0] + "/"
    return respond(fmt, "discovery", {
        "changeset": w3c(CHANGESET),
        "contact": _("The city's grassroots governance office"),
        "key_service": _("API keys are issued by the city's administrators."),
        "endpoints": [{"specification": SPECIFICATION, "url": base, "changeset": w3c(CHANGESET),
                       "type": "production", "formats": ["text/xml", "application/json"]}],
    })


@endpoint()
def service_list(request, fmt, service_code=None):
    if service_code is not None:
        category = queries.published_category(service_code)
        if category is None:
            raise Open311Error(404, _("Unknown service_code."))
        return respond(fmt, "service_definition", {"service_code": category.full_code, "attributes": []})
    return respond(fmt, "services", [
        {"service_code": s["code"], "service_name": s["name"], "description": s["description"],
         "metadata": False, "type": "realtime", "keywords": "", "group": s["group"]}
        for s in queries.service_rows()
    ])


# ---------------------------------------------------------------- requests


@endpoint(methods=("GET", "POST"))
def request_list(request, fmt, request_id=None):
    if request_id is not None:
        if request.method != "GET":
            raise Open311Error(405, _("This method is not allowed here."))
        rows = queries.requests_by_numbers([request_id], notes=_flag(request.GET, "extensions"))
        if not rows:
            raise Open311Error(404, _("Unknown service_request_id."))
        return respond(fmt, "service_requests", [_request_row(request, rows[0], _flag(request.GET, "extensions"))])
    if request.method == "POST":
        return _create(request, fmt)
    data = request.GET
    extensions = _flag(data, "extensions")
    ids = _param(data, "service_request_id")
    if ids is not None:
        numbers = [n.strip() for n in ids.split(",") if n.strip()]
        rows = queries.requests_by_numbers(numbers, notes=extensions)
    else:
        codes = None
        if _param(data, "service_code") is not None:
            codes = [c.strip() for c in data["service_code"].split(",") if c.strip()]
            if any(queries.published_category(c) is None for c in codes):
                raise Open311Error(404, _("Unknown service_code."))
        statuses = {s.strip().lower() for s in (_param(data, "status") or "open,closed").split(",") if s.strip()}
        if not statuses or statuses - {"open", "closed"}:
            raise Open311Error(400, _("status is open, closed or both (comma-separated)."))
        start, end = _period(data)
        offset, limit = _page(data)
        rows = queries.search_requests(service_codes=codes, start=start, end=end, statuses=statuses,
                                       offset=offset, limit=limit, notes=extensions)
    return respond(fmt, "service_requests", [_request_row(request, r, extensions) for r in rows])


# Open311's words for intake refusals that name its own parameters (others pass the intake's message through).
OPEN311_MESSAGES = {
    "half_point": lambda e: _("Give both lat and long."),
    "outside_city": lambda e: _("lat/long: %(why)s") % {"why": " ".join(e.messages)},
    "not_numbers": lambda e: _("lat/long: %(why)s") % {"why": " ".join(e.messages)},
    "no_grid": lambda e: _("lat/long: this location is not inside any grid of the city."),
    "no_location": lambda e: _("Give the location: lat and long, or address_string."),
}
OPEN311_FIELDS = {"description": "description", "title": "description", "address": "address_string",
                  "nature": "nature", "type": "case_type", "category": "service_code"}


def _intake_error(e) -> Open311Error:
    if e.code in OPEN311_MESSAGES:
        return Open311Error(400, OPEN311_MESSAGES[e.code](e))
    if e.code == "too_long" and e.field == "description":
        return Open311Error(400, _("description is longer than %(n)d characters.")
                            % {"n": services.Limits.DESCRIPTION})
    name = OPEN311_FIELDS.get(e.field)
    return Open311Error(400, f"{name}: {' '.join(e.messages)}" if name else " ".join(e.messages))


def _create(request, fmt):
    """The Open311 door of the intake (services.clean_report): maps GeoReport's parameters onto it.

    Extensions: ``case_type`` (event, the default, or appeal: a resident's or rider's 诉求) and, for appeals,
    ``nature`` (consult, help, complaint, whistleblow, suggestion, thanks). Appeals are filed but not
    published: they concern the person who raised them."""
    data = request.POST
    key = ApiKey.find(_param(data, "api_key") or _param(request.GET, "api_key"))
    if key is None:
        raise Open311Error(403, _("A valid api_key is required to file a request."))
    code = _param(data, "service_code")
    if code is None:
        raise Open311Error(400, _("service_code is required."))
    category = queries.published_category(code)
    if category is None:
        raise Open311Error(404, _("Unknown service_code."))
    case_type = _param(data, "case_type") or queries.PUBLISHED_TYPE
    if case_type not in queries.FILED_TYPES:
        raise Open311Error(400, _("case_type is event or appeal."))
    lat, lng = _param(data, "lat"), _param(data, "long")
    address = _param(data, "address_string") or _param(data, "address_id") or ""
    area = None
    if lat is None and lng is None and address:
        area = key.area or queries.city()
    token = _param(data, "token") or (request.headers.get("Idempotency-Key") or "").strip() or None
    if token is not None and len(token) > services.Limits.KEY - len(queries.TOKEN_PREFIX):
        raise Open311Error(400, _("token is longer than %(n)d characters.")
                           % {"n": services.Limits.KEY - len(queries.TOKEN_PREFIX)})
    try:
        outcome = services.report(
            actor=key.owner, door="open311", type=case_type, category=category,
            description=data.get("description") or "", lng=lng, lat=lat, address=address, area=area,
            source="report", nature=(_param(data, "nature") or "") if case_type == "appeal" else "",
            idempotency_key=queries.TOKEN_PREFIX + token if token else None,
        )
    except services.IntakeError as e:
        raise _intake_error(e) from e
    except ValidationError as e:
        raise Open311Error(400, " ".join(e.messages)) from e
    return respond(fmt, "service_requests", [{"service_request_id": outcome.case.number, "service_notice": "",
                                              "account_id": ""}], status=201 if outcome.created else 200)


@endpoint()
def token_lookup(request, fmt, token=None):
    if token is None:
        raise Open311Error(400, _("Give the token: tokens/{token}."))
    number = queries.token_request(token)
    if number is None:
        raise Open311Error(404, _("Unknown token."))
    return respond(fmt, "service_requests", [{"service_request_id": number, "token": token}])


@endpoint()
def request_updates(request, fmt):
    start, end = _period(request.GET)
    offset, limit = _page(request.GET)
    rows = []
    for u in queries.updates(start=start, end=end, offset=offset, limit=limit):
        status = CLOSED_STATUS.get(u["result"], "CLOSED") if u["stage"] == "closed" else UPDATE_STATUS[u["stage"]]
        rows.append({"update_id": str(u["id"]), "service_request_id": u["number"], "status": status,
                     "updated_datetime": w3c(u["at"]), "description": u["description"], "media_url": ""})
    return respond(fmt, "service_request_updates", rows)


@public
def media(request, file_id=None):
    """The first report photo of a published request (and nothing else)."""
    if file_id is None:
        return HttpResponseBadRequest(_("Give the file: media/{id}."))
    stored = queries.public_photo(file_id)
    if stored is None:
        raise Http404
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
