"""Excel import and export of retirees (see care.imports for the rules)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.core.excel import dated_name, import_page, template_response, write_workbook, xlsx_response
from lianxin.core.visibility import scoped

from .forms import RetireeFilter
from .imports import EXPORT_COLUMNS, RetireeImporter, export_rows
from .models import Retiree
from .views import filter_retirees


@scoped(Retiree, "add", kind="create")
def retiree_import(request):
    return import_page(
        request, RetireeImporter(request.user), name="retirees", template="care/import.html",
        done_url=reverse("care:list"),
        done_message=lambda n: ngettext("%(n)d retiree imported.", "%(n)d retirees imported.", n) % {"n": n},
        context={"title": _("Import retirees"), "template_url": reverse("care:import_template"),
                 "back_url": reverse("care:list")},
    )


@scoped(Retiree, "add", kind="create")
def retiree_import_template(request):
    return template_response(RetireeImporter(request.user), "retirees-import-template.xlsx")


@scoped(Retiree, "view", kind="list")
def retiree_export(request, qs):
    filters = RetireeFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = (filter_retirees(qs, data).select_related("person", "person__area", "unit")
          .prefetch_related("assignments__user").order_by("person__name", "pk"))
    content = write_workbook(EXPORT_COLUMNS, export_rows(qs.iterator(chunk_size=1000)), title=_("Retirees"))
    return xlsx_response(content, dated_name("retirees"))
