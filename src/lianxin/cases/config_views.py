from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.core.visibility import configuration

from . import config
from .models import Category, LimitStage, LimitUnit, Urgency


class CategoryForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=60)
    name_en = forms.CharField(label=gettext_lazy("English name"), max_length=80, required=False)
    acceptance_rule = forms.CharField(label=gettext_lazy("Acceptance rule"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    default_unit_kind = forms.CharField(label=gettext_lazy("Default handling unit"), max_length=60, required=False)
    duplicate_radius_m = forms.IntegerField(label=gettext_lazy("Duplicate-search radius (m)"), min_value=0,
                                            max_value=5000)
    confidential = forms.BooleanField(label=gettext_lazy("Confidential reporter"), required=False)
    is_public = forms.BooleanField(label=gettext_lazy("Public"), required=False)
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False)


@configuration(Category, "view")
def category_list(request):
    classes = Category.objects.filter(parent__isnull=True).prefetch_related("children__limits")
    return render(request, "cases/config_categories.html", {"classes": classes})


def _limit_grid(category):
    current = {(t.stage, t.urgency): t for t in category.limits.filter(level="")}
    return [(stage, stage_label, [(urgency, urgency_label, current.get((stage, urgency)))
                                  for urgency, urgency_label in Urgency.choices])
            for stage, stage_label in LimitStage.choices]


@configuration(Category, "change")
def category_edit(request, pk):
    category = get_object_or_404(Category.objects.select_related("parent"), pk=pk)
    form = CategoryForm(request.POST or None, initial={f: getattr(category, f) for f in CategoryForm.base_fields})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                config.update_category(category, actor=request.user, **form.cleaned_data)
                rows = []
                for stage in LimitStage.values:
                    for urgency in Urgency.values:
                        key = f"{stage}-{urgency}"
                        rows.append((stage, urgency, config.parse_amount(request.POST.get(f"{key}-amount")),
                                     request.POST.get(f"{key}-unit", "")))
                changed = config.set_limits(category, actor=request.user, rows=rows)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Saved (%(n)d limit(s) changed). Running deadlines keep their dates.")
                             % {"n": changed})
            return redirect("cases:config_categories")
    return render(request, "cases/config_category.html", {
        "category": category, "form": form, "grid": _limit_grid(category), "units": LimitUnit.choices,
    })


