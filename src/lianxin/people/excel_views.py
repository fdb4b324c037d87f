"""Excel import and export of the people registry (see people.imports for the rules)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.core.excel import dated_name, write_workbook, xlsx_response
from lianxin.core.importing import import_page, template_response
from lianxin.core.visibility import scoped

from .forms import PersonFilter
from .imports import EXPORT_COLUMNS, PeopleImporter, export_rows
from .models import Person
from .views import filter_people


@scoped(Person, "add", kind="create")
def person_import(request):
    return import_page(
        request, PeopleImporter(request.user), name="people", template="people/import.html",
        done_url=reverse("people:list"),
        done_message=lambda n: ngettext("%(n)d person imported.", "%(n)d people imported.", n) % {"n": n},
        context={"title": _("Import people"), "template_url": reverse("people:import_template"),
                 "back_url": reverse("people:list")},
    )


@scoped(Person, "add", kind="create")
def person_import_template(request):
    return template_response(PeopleImporter(request.user), "people-import-template.xlsx")


@scoped(Person, "view", kind="list")
def person_export(request, qs):
    filters = PersonFilter(request.GET or None, user=request.user)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = filter_people(qs, data).select_related("area", "org").prefetch_related("tags").order_by("name", "pk")
    content = write_workbook(EXPORT_COLUMNS, export_rows(qs.iterator(chunk_size=1000)), title=_("People"))
    return xlsx_response(content, dated_name("people"))
