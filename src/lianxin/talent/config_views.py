"""The tier catalogue (人才层次) is configuration: the talent office renames, reorders, adds or retires tiers."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.core.audit import actor_context
from lianxin.core.visibility import configuration

from . import queries
from .models import Tier


class TierForm(forms.ModelForm):
    class Meta:
        model = Tier
        fields = ["code", "name", "name_en", "rank", "is_active"]
        labels = {"code": gettext_lazy("Code"), "name": gettext_lazy("Name"), "name_en": gettext_lazy("English name"),
                  "rank": gettext_lazy("Rank"), "is_active": gettext_lazy("Active")}


@configuration(Tier, "change")
def tiers(request):
    editing = queries.tier(request.POST.get("pk") or request.GET.get("pk"))
    form = TierForm(request.POST or None, instance=editing)
    if request.method == "POST" and form.is_valid():
        with actor_context(request.user):
            form.save()
        messages.success(request, _("Tier saved."))
        return redirect("talent:tiers")
    return render(request, "talent/tiers.html", {"tiers": queries.all_tiers(), "form": form, "editing": editing})
