from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core import clock

from .periods import KINDS, MAX_DAYS, Period
from .table import visible_areas


class ReportForm(forms.Form):
    """Area and period of a report; a bad or missing value falls back to the user's top area and this month."""

    area = forms.ModelChoiceField(label=_("Area"), queryset=None, required=False, empty_label=None)
    period = forms.ChoiceField(label=_("Period"), choices=KINDS, required=False)
    on = forms.DateField(label=_("Day in the period"), required=False,
                         widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To (included)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = visible_areas(user).order_by("path")

    def clean(self):
        data = super().clean()
        kind = data.get("period") or "month"
        if kind == "range":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Give both days of the period."))
            if end < start:
                start, end = end, start
            if (end - start).days > MAX_DAYS:
                raise forms.ValidationError(_("A period may be at most three years long."))
            data["the_period"] = Period("range", start, end)
        else:
            data["the_period"] = Period.containing(kind, data.get("on") or clock.today())
        return data


def default_period() -> Period:
    return Period.containing("month", clock.today())


def last_month() -> Period:
    return Period.containing("month", clock.today().replace(day=1) - timedelta(days=1))
