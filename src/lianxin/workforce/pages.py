"""What the workforce views share: a page of rows with its query string, and errors as one line of text."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.utils.translation import gettext as _

PAGE = 50


def error_text(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not do this.")


def paginate(request, qs):
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def form_errors(form) -> str:
    return " ".join(str(m) for errs in form.errors.values() for m in errs)
