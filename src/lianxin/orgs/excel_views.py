"""The organisation tree as Excel: export what the user sees, import it back (see orgs.imports for the rules)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.core.excel import dated_name, write_workbook, xlsx_response
from lianxin.core.importing import import_page, template_response
from lianxin.core.visibility import scoped

from .imports import COLUMNS, OrgImporter, export_rows
from .models import Org


@scoped(Org, "change", kind="create")
def org_import(request):
    return import_page(
        request, OrgImporter(request.user), name="orgs", template="orgs/import.html",
        done_url=reverse("orgs:tree"),
        done_message=lambda n: ngettext(
            "%(n)d row of the organisation tree imported: new organisations added, changed ones updated in place.",
            "%(n)d rows of the organisation tree imported: new organisations added, changed ones updated in place.",
            n) % {"n": n},
        context={"title": _("Import the organisation tree"), "template_url": reverse("orgs:import_template"),
                 "export_url": reverse("orgs:export"), "back_url": reverse("orgs:tree")},
    )


@scoped(Org, "change", kind="create")
def org_import_template(request):
    return template_response(OrgImporter(request.user), "orgs-import-template.xlsx")


@scoped(Org, "view", kind="list", staff=True)
def org_export(request, qs):
    # Parents come before their children in path order, so the file reads (and imports) top down.
    rows = qs.select_related("parent", "area").defer("area__boundary").order_by("path")
    content = write_workbook(COLUMNS, export_rows(rows.iterator(chunk_size=1000)), title=_("Organisations"))
    return xlsx_response(content, dated_name("orgs"))
