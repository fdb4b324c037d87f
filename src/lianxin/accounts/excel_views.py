"""Excel import of accounts (see accounts.imports for the rules)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.core.importing import import_page, template_response
from lianxin.core.visibility import scoped

from .imports import AccountsImporter
from .models import User


@scoped(User, "add", kind="create")
def account_import(request):
    return import_page(
        request, AccountsImporter(request.user), name="accounts", template="accounts/import.html",
        done_url=reverse("accounts:list"),
        done_message=lambda n: ngettext("%(n)d account imported.", "%(n)d accounts imported.", n) % {"n": n},
        context={"title": _("Import accounts"), "template_url": reverse("accounts:import_template"),
                 "back_url": reverse("accounts:list")},
    )


@scoped(User, "add", kind="create")
def account_import_template(request):
    return template_response(AccountsImporter(request.user), "accounts-import-template.xlsx")
