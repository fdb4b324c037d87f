from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lianxin.core import clock
from lianxin.core.visibility import configuration

from . import services
from .calendar import WORK_PERIODS
from .models import CalendarDay, DayKind


class DayForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=DayKind.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=60, required=False)


@configuration(CalendarDay, "view")
def calendar_page(request):
    try:
        year = int(request.GET.get("year") or clock.today().year)
    except ValueError:
        year = clock.today().year
    days = CalendarDay.objects.filter(date__year=year)
    years = sorted({d.year for d in CalendarDay.objects.dates("date", "year")} | {year})
    return render(request, "workdays/calendar.html", {
        "days": days, "year": year, "years": years, "form": DayForm(initial={"date": date(year, 1, 1)}),
        "periods": WORK_PERIODS,
    })


@configuration(CalendarDay, "change")
@require_POST
def calendar_set(request):
    form = DayForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.set_day(actor=request.user, date=d["date"], kind=d["kind"], name=d["name"])
            messages.success(request, _("Saved. Deadlines set from now on use it; running ones keep theirs."))
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        return redirect(f"{reverse('workdays:calendar')}?year={d['date'].year}")
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    return redirect("workdays:calendar")


@configuration(CalendarDay, "delete")
@require_POST
def calendar_remove(request, pk):
    day = get_object_or_404(CalendarDay, pk=pk)
    services.remove_day(day, actor=request.user)
    messages.success(request, _("Removed."))
    return redirect(f"{reverse('workdays:calendar')}?year={day.date.year}")
