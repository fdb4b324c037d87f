"""The area tree as Excel: export what the user sees, import it back (see areas.imports for the rules)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.core.excel import dated_name, write_workbook, xlsx_response
from lianxin.core.importing import import_page, template_response
from lianxin.core.visibility import scoped

from .imports import COLUMNS, AreaImporter, export_rows
from .models import Area


@scoped(Area, "change", kind="create")
def area_import(request):
    return import_page(
        request, AreaImporter(request.user), name="areas", template="areas/import.html",
        done_url=reverse("areas:tree"),
        done_message=lambda n: ngettext(
            "%(n)d row of the area tree imported: new areas added, changed ones updated in place.",
            "%(n)d rows of the area tree imported: new areas added, changed ones updated in place.", n) % {"n": n},
        context={"title": _("Import the area tree"), "template_url": reverse("areas:import_template"),
                 "export_url": reverse("areas:export"), "back_url": reverse("areas:tree")},
    )


@scoped(Area, "change", kind="create")
def area_import_template(request):
    return template_response(AreaImporter(request.user), "areas-import-template.xlsx")


@scoped(Area, "view", kind="list", staff=True)
def area_export(request, qs):
    # Parents come before their children in path order, so the file reads (and imports) top down.
    rows = qs.select_related("parent").defer("boundary", "parent__boundary").order_by("path")
    content = write_workbook(COLUMNS, export_rows(rows.iterator(chunk_size=1000)), title=_("Areas"))
    return xlsx_response(content, dated_name("areas"))
