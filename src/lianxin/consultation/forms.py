from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianxin.areas.models import Area
from lianxin.cases.models import Category
from lianxin.core.resubmit import KeyField
from lianxin.orgs.models import Org

from .models import CouncilKind, MajorityBasis, Seat


class TopicForm(forms.Form):
    key = KeyField()
    area = forms.ModelChoiceField(label=_("Community"), queryset=Area.objects.none())
    title = forms.CharField(label=_("Topic"), max_length=120,
                            help_text=_("In a few words: what should be done?"))
    text = forms.CharField(label=_("What it is about"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    place = forms.CharField(label=_("Place"), max_length=200, required=False,
                            help_text=_("Building, street or landmark."))
    photo = forms.ImageField(label=_("Photo"), required=False)
    for_resident = forms.CharField(label=_("Raised for (resident's name)"), max_length=60, required=False,
                                   help_text=_("Grid workers: the resident you write this down for."))

    def __init__(self, *args, areas=None, for_others=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas if areas is not None else Area.objects.none()
        only = list(areas[:2]) if areas is not None else []
        if len(only) == 1:
            self.fields["area"].initial = only[0].pk
            self.fields["area"].widget = forms.HiddenInput()
        if not for_others:
            del self.fields["for_resident"]


class CouncilForm(forms.Form):
    key = KeyField()
    area = forms.ModelChoiceField(label=_("Community or village"), queryset=Area.objects.none())
    name = forms.CharField(label=pgettext_lazy("of a thing", "Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=CouncilKind.choices)
    quorum_percent = forms.IntegerField(label=_("Quorum (percent of members present)"), min_value=1, max_value=100,
                                        initial=50)
    majority_percent = forms.IntegerField(label=_("Majority (more than this percent for)"), min_value=1, max_value=99,
                                          initial=50)
    majority_basis = forms.ChoiceField(label=_("Majority counted"), choices=MajorityBasis.choices)

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas if areas is not None else Area.objects.none()


class MemberForm(forms.Form):
    seat = forms.ChoiceField(label=_("Seat"), choices=Seat.choices)
    name = forms.CharField(label=_("Name"), max_length=60)
    org = forms.ModelChoiceField(label=_("Unit"), queryset=Org.objects.none(), required=False)
    term_start = forms.DateField(label=_("Term from"), widget=forms.DateInput(attrs={"type": "date"}))
    term_end = forms.DateField(label=_("Term until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs if orgs is not None else Org.objects.none()


class MeetingForm(forms.Form):
    key = KeyField()
    title = forms.CharField(label=_("Title"), max_length=120)
    starts_at = forms.DateTimeField(label=_("Time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label=_("Place"), max_length=120, required=False)


class TaskForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    title = forms.CharField(label=_("Task"), max_length=120)
    lead = forms.ModelChoiceField(label=_("Lead unit"), queryset=Org.objects.none())
    co_units = forms.ModelMultipleChoiceField(label=_("Co-units"), queryset=Org.objects.none(), required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .types import FOLLOW_UP

        self.fields["category"].queryset = Category.objects.filter(
            case_types__contains=FOLLOW_UP, parent__isnull=False, is_active=True).order_by("full_code")
        self.fields["lead"].queryset = orgs if orgs is not None else Org.objects.none()
        self.fields["co_units"].queryset = orgs if orgs is not None else Org.objects.none()

    def clean(self):
        data = super().clean()
        if data.get("lead") and data.get("lead") in (data.get("co_units") or []):
            self.add_error("co_units", _("The lead unit is not also a co-unit."))
        return data
