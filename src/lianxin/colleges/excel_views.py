"""The enrolment import page and its template."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.core.importing import import_page, template_response
from lianxin.core.visibility import scoped

from .imports import EnrolmentImporter
from .models import Klass


@scoped(Klass, "change", kind="create")
def enrolment_import(request):
    return import_page(
        request, EnrolmentImporter(request.user), name="enrolments", template="lianxin/import.html",
        done_url=reverse("colleges:list"),
        done_message=lambda n: ngettext("%(n)d enrolment entered.", "%(n)d enrolments entered.", n) % {"n": n},
        context={"title": _("Import enrolments"), "template_url": reverse("colleges:import_template"),
                 "back_url": reverse("colleges:list")})


@scoped(Klass, "change", kind="create")
def enrolment_import_template(request):
    return template_response(EnrolmentImporter(request.user), "enrolments-import-template.xlsx")
