"""The money ledgers: subsidies granted and paid, by policy, and policy financing arranged, by product; both by
employer (the largest first); sums
in integer fen (exact), shown in yuan."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.core import clock
from lianxin.core.visibility import ensure_created_in_scope, may_anywhere, scoped

from . import services
from .common import employers_for, save_form
from .forms import LoanForm, SubsidyForm
from .models import Loan, LoanProduct, Subsidy, SubsidyPolicy, Talent, fen_to_yuan, yuan_to_fen

EMPLOYERS_SHOWN = 20


def _year(request):
    raw = request.GET.get("year") or ""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None


@scoped(Subsidy, "view", kind="list")
def money(request, qs):
    year = _year(request)
    if year:
        qs = qs.filter(granted_on__year=year)
    loans = Loan.objects.visible_to(request.user)
    if year:
        loans = loans.filter(arranged_on__year=year)
    totals = services.money_totals(qs, loans)
    by_policy = {p: (n, g, pd) for p, n, g, pd in qs.order_by().values_list("policy").annotate(
        n=Count("pk"), g=Sum("granted_fen"), pd=Sum("paid_fen")).values_list("policy", "n", "g", "pd")}
    by_product = {p: (n, a) for p, n, a in loans.order_by().values_list("product").annotate(
        n=Count("pk"), a=Sum("amount_fen")).values_list("product", "n", "a")}
    page = Paginator(qs.select_related("talent__person", "employer", "area"), 50).get_page(request.GET.get("page"))
    # By employer: the employer named on the line, else the talent's employer.
    employer = Coalesce("employer__name", "talent__employer__name")
    granted = dict(qs.order_by().annotate(e=employer).values_list("e").annotate(g=Sum("granted_fen")).exclude(e=None))
    lent = dict(loans.order_by().annotate(e=employer).values_list("e").annotate(a=Sum("amount_fen")).exclude(e=None))
    by_employer = sorted(((name, fen_to_yuan(granted.get(name, 0)), fen_to_yuan(lent.get(name, 0)),
                           granted.get(name, 0) + lent.get(name, 0)) for name in set(granted) | set(lent)),
                         key=lambda r: (-r[3], r[0]))[:EMPLOYERS_SHOWN]
    return render(request, "talent/money.html", {
        "year": year, "page": page, "totals": {"granted": fen_to_yuan(totals.granted_fen),
                                               "paid": fen_to_yuan(totals.paid_fen),
                                               "loans": fen_to_yuan(totals.loans_fen)},
        "policies": [(label, by_policy.get(v, (0, 0, 0))[0], fen_to_yuan(by_policy.get(v, (0, 0, 0))[1]),
                      fen_to_yuan(by_policy.get(v, (0, 0, 0))[2])) for v, label in SubsidyPolicy.choices],
        "products": [(label, by_product.get(v, (0, 0))[0], fen_to_yuan(by_product.get(v, (0, 0))[1]))
                     for v, label in LoanProduct.choices],
        "loans": loans.select_related("talent__person", "employer")[:30],
        "employers": [r[:3] for r in by_employer], "employers_shown": EMPLOYERS_SHOWN,
        "may_add": may_anywhere(request.user, Subsidy, "add"),
        "may_add_loan": may_anywhere(request.user, Loan, "add"),
    })


def _talents(user):
    return Talent.objects.visible_to(user).select_related("person").order_by("person__name")


@scoped(Subsidy, "add", kind="create")
def subsidy_create(request):
    form = SubsidyForm(request.POST or None, talents=_talents(request.user), orgs=employers_for(request.user),
                       initial={"granted_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def write():
            subsidy = services.grant_subsidy(actor=request.user, policy=d["policy"], granted_fen=d["granted"],
                                             granted_on=d["granted_on"], talent=d["talent"], employer=d["employer"],
                                             paid_fen=d["paid"], paid_on=d["paid_on"], note=d["note"])
            ensure_created_in_scope(request.user, subsidy)
            return subsidy

        subsidy, created = save_form(request, form, write)
        if subsidy is not None:
            if created:
                messages.success(request, _("Subsidy recorded."))
            return redirect("talent:money")
    return render(request, "lianxin/form.html", {"form": form, "title": _("Record a subsidy"),
                                                  "back_url": reverse("talent:money")})


@scoped(Subsidy, "change")
@require_POST
def subsidy_pay(request, obj):
    try:
        services.pay_subsidy(obj, actor=request.user, fen=yuan_to_fen(request.POST.get("amount") or "0"))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Payment recorded."))
    return redirect("talent:money")


@scoped(Loan, "add", kind="create")
def loan_create(request):
    form = LoanForm(request.POST or None, talents=_talents(request.user), orgs=employers_for(request.user),
                    initial={"arranged_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def write():
            loan = services.arrange_loan(actor=request.user, product=d["product"], bank=d["bank"],
                                         amount_fen=d["amount"], arranged_on=d["arranged_on"], talent=d["talent"],
                                         employer=d["employer"], term_months=d["term_months"])
            ensure_created_in_scope(request.user, loan)
            return loan

        loan, created = save_form(request, form, write)
        if loan is not None:
            if created:
                messages.success(request, _("Loan recorded."))
            return redirect("talent:money")
    return render(request, "lianxin/form.html", {"form": form, "title": _("Record a policy loan"),
                                                  "back_url": reverse("talent:money")})
