"""Briefings: draft one from an area, a period and sections; edit its sentences; sign it off; download it
as Word or PDF; the archive of issued ones (their figures frozen when drafted)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lianxin.areas.models import Area
from lianxin.core import resubmit
from lianxin.core.modules import figure_sets
from lianxin.core.visibility import ensure_created_in_scope, scoped

from . import briefing as service
from . import documents
from .forms import ReportForm
from .models import Briefing, BriefingStatus
from .table import default_area


class NewBriefingForm(ReportForm):
    sections = forms.MultipleChoiceField(label=gettext_lazy("Sections"), widget=forms.CheckboxSelectMultiple,
                                         required=True)
    key = resubmit.KeyField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(fs.app, fs.label) for fs in figure_sets()]
        self.fields["sections"].choices = choices
        self.fields["sections"].initial = [c for c, _l in choices]


class TextsForm(forms.ModelForm):
    class Meta:
        model = Briefing
        fields = service.FIELDS
        widgets = {f: forms.Textarea(attrs={"rows": 5}) for f in ("highlights", "problems", "next_steps")}


@scoped(Briefing, "view", kind="list")
def briefings(request, qs):
    status = request.GET.get("status")
    rows = qs.select_related("area")
    if status in BriefingStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    area = default_area(request.user)
    subscribed = area is not None and service.is_subscribed(request.user, area)
    return render(request, "reports/briefings.html", {"page": page, "status": status, "query": query.urlencode(),
                                                      "statuses": BriefingStatus.choices, "area": area,
                                                      "subscribed": subscribed})


@scoped(Area, "view")
@require_POST
def subscribe(request, obj):
    """Receive, or stop receiving, the monthly briefing of an area the user may see."""
    on = service.subscribe(user=request.user, area=obj, on=request.POST.get("on") == "1")
    messages.success(request, _("You will receive the monthly briefing of %(area)s.") % {"area": obj.name} if on
                     else _("You will no longer receive the monthly briefing of %(area)s.") % {"area": obj.name})
    return redirect("reports:briefings")


@scoped(Briefing, "add", kind="create")
def briefing_new(request):
    if request.method == "POST":
        form = NewBriefingForm(request.POST, user=request.user)
    else:  # from the figures page: its area and period, every section
        form = NewBriefingForm(initial=request.GET.dict(), user=request.user)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        area = d["area"]
        if area is None:
            raise PermissionDenied

        def create():
            b = service.draft(actor=request.user, area=area, period=d["the_period"], sections=d["sections"])
            ensure_created_in_scope(request.user, b)
            return b

        try:
            with transaction.atomic():
                b, _created = resubmit.once(request, d["key"], create)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The briefing was drafted: check the sentences before signing it off."))
            return redirect("reports:briefing", pk=b.pk)
    return render(request, "reports/briefing_new.html", {"form": form})


@scoped(Briefing, "view")
def briefing(request, obj):
    from lianxin.core.visibility import can

    c = documents.context(obj)
    c.update({"form": TextsForm(instance=obj) if not obj.issued else None,
              "may_change": not obj.issued and can(request.user, obj, "change"),
              "may_issue": not obj.issued and can(request.user, obj, "issue")})
    return render(request, "reports/briefing.html", c)


@scoped(Briefing, "change")
@require_POST
def briefing_edit(request, obj):
    form = TextsForm(request.POST, instance=service.fresh(obj))
    if form.is_valid():
        try:
            service.edit(obj, actor=request.user, **{f: form.cleaned_data[f] for f in service.FIELDS})
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("The briefing was not saved: check the fields."))
    return redirect("reports:briefing", pk=obj.pk)


@scoped(Briefing, "issue")
@require_POST
def briefing_issue(request, obj):
    b = service.issue(obj, actor=request.user)
    messages.success(request, _("Issued as %(issue)s.") % {"issue": b.issue_label})
    return redirect("reports:briefing", pk=obj.pk)


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@scoped(Briefing, "view")
def briefing_docx(request, obj):
    return _download(documents.docx_bytes(obj),
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     f"briefing-{obj.pk}.docx")


@scoped(Briefing, "view")
def briefing_pdf(request, obj):
    return _download(documents.pdf_bytes(obj), "application/pdf", f"briefing-{obj.pk}.pdf")


@scoped(Briefing, "view", sample={"app": "cases"})
def briefing_chart(request, obj, app):
    figure_set = next((s for s in obj.snapshot.get("sets", []) if s["app"] == app), None)
    png = documents.chart_png(figure_set) if figure_set else None
    if png is None:
        raise Http404
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response
