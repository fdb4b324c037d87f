"""The configuration page: the must-visit categories (五必访, with their visit frequency), the must-ask questions
(五必问) and the village survey checklist (大调研), each a small table with a row to add."""

from django.contrib import messages
from django.forms import modelformset_factory
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lianxin.core.visibility import configuration

from . import queries, services
from .models import MustAskQuestion, MustVisitCategory, SurveyItem

CategoryFormSet = modelformset_factory(MustVisitCategory, fields=("code", "name", "frequency", "order", "active"),
                                       extra=1)
QuestionFormSet = modelformset_factory(MustAskQuestion, fields=("code", "name", "order", "active"), extra=1)
ItemFormSet = modelformset_factory(SurveyItem, fields=("code", "name", "kind", "target", "order", "active"), extra=1)


@configuration(MustVisitCategory, "change")
def config(request):
    data = request.POST or None
    formsets = [
        (_("Must-visit categories (五必访)"), CategoryFormSet(data, prefix="c", queryset=queries.all_categories())),
        (_("Must-ask questions (五必问)"), QuestionFormSet(data, prefix="q", queryset=queries.all_questions())),
        (_("Village survey checklist (大调研)"), ItemFormSet(data, prefix="s", queryset=queries.all_items())),
    ]
    if request.method == "POST" and all(fs.is_valid() for _t, fs in formsets):
        services.save_configuration([fs for _t, fs in formsets], actor=request.user)
        messages.success(request, _("Configuration saved."))
        return redirect("villages:config")
    return render(request, "villages/config.html", {"formsets": formsets})
