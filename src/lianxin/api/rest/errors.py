"""Every answer of the REST API outside 2xx is JSON in one shape (``ErrorSerializer``)::

    {"detail": "<what went wrong, in the caller's language>",
     "code": "<a stable machine word: invalid, not_authenticated, permission_denied, not_found, ...>",
     "errors": {"<field>": ["<message>", ...]}}   # the fields' problems on a 400; {} otherwise

Raised errors (DRF's, Http404, PermissionDenied) go through ``exception_handler`` (REST_FRAMEWORK's
EXCEPTION_HANDLER); an unexpected exception in an API view is logged and answered 500 in the same shape; an
unknown path under /api/ is a JSON 404 and a 500 raised outside a view is JSON under /api/ (``page_not_found`` and
``server_error``, the project's handler404 and handler500). Views answer their own refusals with ``error()``.
"""

import logging

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

logger = logging.getLogger("lianxin.api")

CODES = {400: "invalid", 401: "not_authenticated", 403: "permission_denied", 404: "not_found",
         405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 413: "too_large",
         415: "unsupported_media_type", 429: "throttled", 500: "server_error"}


def body(detail, code: str, errors: dict | None = None) -> dict:
    return {"detail": str(detail), "code": code, "errors": errors or {}}


def error(detail, status_code: int = status.HTTP_400_BAD_REQUEST, *, code: str | None = None,
          errors: dict | None = None) -> Response:
    return Response(body(detail, code or CODES.get(status_code, "error"), errors), status=status_code)


def invalid(field_errors: dict) -> Response:
    """A 400 for a body whose fields have problems: each field's messages, and the first one as ``detail``."""
    errors = {name: [str(m) for m in (messages if isinstance(messages, list | tuple) else [messages])]
              for name, messages in field_errors.items()}
    first = next((m for messages in errors.values() for m in messages), _("Invalid input."))
    return error(first, errors=errors)


def _detail_of(exc: exceptions.APIException) -> tuple[str, str, dict]:
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(exc.detail, dict):
            return "", "invalid", exc.detail
        messages = exc.detail if isinstance(exc.detail, list) else [exc.detail]
        return " ".join(str(m) for m in messages), "invalid", {}
    if isinstance(exc, exceptions.ParseError):
        # DRF's "JSON parse error - <the parser's English>": one message in the caller's language instead.
        return _("The request body is not valid JSON."), "parse_error", {}
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("Send the request body as application/json."), "unsupported_media_type", {}
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return str(exc.detail), "not_authenticated", {}
    detail = exc.detail
    if isinstance(detail, dict):
        detail = detail.get("detail", detail)
    if isinstance(detail, list):
        detail = " ".join(str(m) for m in detail)
    return str(detail), CODES.get(exc.status_code, getattr(detail, "code", None) or "error"), {}


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        # Not an API error: a bug or a broken dependency. Logged with its traceback; the caller gets JSON.
        request = context.get("request")
        logger.error("API %s %s failed", getattr(request, "method", "?"), getattr(request, "path", "?"),
                     exc_info=exc)
        set_rollback()
        return error(_("Something went wrong on the server. Try again later."), 500)
    if isinstance(exc, exceptions.APIException):
        detail, code, errors = _detail_of(exc)
        if code == "invalid" and errors:
            failed = invalid(errors)
            failed.data["code"] = "invalid"
            response.data = failed.data
            return response
    elif response.status_code == 404:
        detail, code, errors = _("Not found."), "not_found", {}
    elif response.status_code == 403:
        detail, code, errors = _("You do not have permission to do this."), "permission_denied", {}
    else:
        detail, code, errors = str(response.data.get("detail", "")), CODES.get(response.status_code, "error"), {}
    response.data = body(detail, code, errors)
    return response


def page_not_found(request, exception, *args, **kwargs):
    """The project's handler404: JSON under /api/ (a path that is no endpoint), the HTML page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(body(_("Not found."), "not_found"), status=404)
    return defaults.page_not_found(request, exception, *args, **kwargs)


def server_error(request, *args, **kwargs):
    """The project's handler500: JSON under /api/, the HTML error page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(body(_("Something went wrong on the server. Try again later."), "server_error"),
                            status=500)
    return defaults.server_error(request, *args, **kwargs)
