"""Plans (帮扶规划), industry projects (产业项目) and research reports (调研报告): one list, form and page shape for
the three, made per model; reports are reviewed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.core import resubmit
from lianxin.core.uploads import store_upload
from lianxin.core.visibility import can, ensure_created_in_scope, may_anywhere, scoped

from . import services
from .forms import PlanForm, ProjectForm, ReportForm, ReviewForm
from .models import AssistancePlan, IndustryProject, ResearchReport
from .views import village_choices

KINDS = {
    "plans": (AssistancePlan, PlanForm, gettext_lazy("Assistance plans")),
    "projects": (IndustryProject, ProjectForm, gettext_lazy("Industry projects")),
    "reports": (ResearchReport, ReportForm, gettext_lazy("Research reports")),
}
KIND_OF = {model: kind for kind, (model, _f, _l) in KINDS.items()}


def _fields(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k in form._meta.fields}


@scoped(AssistancePlan, "view", kind="list", subset=True)
def overview(request, qs):
    """Counts of the three registries over what the user may see, with links to each."""
    user = request.user
    rows = []
    for kind, (model, _form, label) in KINDS.items():
        rows.append({"kind": kind, "label": label, "count": model.objects.visible_to(user).count(),
                     "may_add": may_anywhere(user, model, "add")})
    projects = IndustryProject.objects.visible_to(user).aggregate(investment=Sum("investment"),
                                                                 income=Sum("expected_income"))
    reports = dict(ResearchReport.objects.visible_to(user).order_by().values("review").annotate(n=Count("pk"))
                   .values_list("review", "n"))
    return render(request, "villages/dossiers.html", {"rows": rows, "projects": projects, "reports": [
        (label, reports.get(value, 0)) for value, label in ResearchReport.Review.choices]})


def make_views(kind):
    model, form_class, label = KINDS[kind]

    @scoped(model, "view", kind="list")
    def listing(request, qs):
        q = (request.GET.get("q") or "").strip()
        if q:
            qs = qs.filter(Q(title__icontains=q) | Q(area__name__icontains=q))
        qs = qs.select_related("area", "area__parent", "owner__person").order_by("-start_on", "-pk")
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        return render(request, "villages/dossier_list.html", {
            "page": page, "q": q, "kind": kind, "label": label,
            "may_add": may_anywhere(request.user, model, "add"),
        })

    @scoped(model, "add", kind="create")
    def create(request):
        villages = village_choices(request.user, model, "add")
        initial = {}
        if request.GET.get("village", "").isdigit():
            initial["village"] = int(request.GET["village"])
        form = form_class(request.POST or None, request.FILES or None, villages=villages, initial=initial)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                with transaction.atomic():
                    def write():
                        document = (store_upload(d["upload"], owner=request.user, area=d["village"],
                                                 accept=("pdf", "image")) if d["upload"] else None)
                        return services.create_dossier(model, actor=request.user, area=d["village"],
                                                       document=document, **_fields(form))

                    obj, _c = resubmit.once(request, d["key"], write)
                    ensure_created_in_scope(request.user, obj)
            except ValidationError as e:
                form.add_error(None, e)
            else:
                return redirect(f"villages:{kind}_detail", obj.pk)
        return render(request, "lianxin/form.html", {"form": form, "title": _("New: %(what)s") % {"what": label},
                                                     "back_url": reverse(f"villages:{kind}")})

    @scoped(model, "view")
    def detail(request, obj):
        context = {"obj": obj, "kind": kind, "label": label, "may_change": can(request.user, obj, "change")}
        if model is ResearchReport:
            context["may_review"] = (obj.review == ResearchReport.Review.SUBMITTED and obj.owner_id != request.user.pk
                                     and can(request.user, obj, "review"))
            context["review_form"] = ReviewForm() if context["may_review"] else None
        return render(request, "villages/dossier.html", context)

    @scoped(model, "change")
    def edit(request, obj):
        form = form_class(request.POST or None, request.FILES or None, instance=obj, villages=None)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                document = (store_upload(d["upload"], owner=request.user, area=obj.area, accept=("pdf", "image"))
                            if d["upload"] else None)
                services.update_dossier(obj, actor=request.user, document=document, **_fields(form))
            except ValidationError as e:
                form.add_error(None, e)
            else:
                return redirect(f"villages:{kind}_detail", obj.pk)
        return render(request, "lianxin/form.html", {"form": form, "title": str(obj),
                                                     "back_url": reverse(f"villages:{kind}_detail", args=[obj.pk])})

    return listing, create, detail, edit


plans, plan_create, plan_detail, plan_edit = make_views("plans")
projects, project_create, project_detail, project_edit = make_views("projects")
reports, report_create, report_detail, report_edit = make_views("reports")


@scoped(ResearchReport, "review")
def report_review(request, obj):
    if request.method != "POST":
        return redirect("villages:reports_detail", obj.pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_report(obj, actor=request.user, approve=form.cleaned_data["decision"] == "approve",
                                   note=form.cleaned_data["note"])
        except (ValidationError, PermissionDenied) as e:
            messages.error(request, " ".join(getattr(e, "messages", [str(e)])))
        else:
            messages.success(request, _("Review recorded."))
    return redirect("villages:reports_detail", obj.pk)
