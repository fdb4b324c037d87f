from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core import resubmit

from .models import (
    AssistancePlan,
    IndustryProject,
    Level,
    MustVisitCategory,
    ResearchReport,
    VillageProfile,
    Visit,
)

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class ProfileForm(forms.ModelForm):
    class Meta:
        model = VillageProfile
        fields = ["households", "population", "party_members", "committee_members", "committee_note",
                  "income_year", "collective_income", "income_sources"]
        widgets = {"committee_note": forms.Textarea(attrs={"rows": 3}),
                   "income_sources": forms.Textarea(attrs={"rows": 3})}


class TermForm(forms.Form):
    key = resubmit.KeyField()
    village = forms.ModelChoiceField(label=_("Village"), queryset=None)
    secretary = forms.ModelChoiceField(label=_("First secretary"), queryset=None)
    level = forms.ChoiceField(label=_("Dispatching level"), choices=Level.choices)
    unit = forms.CharField(label=_("Dispatching unit"), max_length=80, required=False)
    start_on = forms.DateField(label=_("Term starts"), widget=DATE)
    team = forms.ModelMultipleChoiceField(label=_("Work team"), queryset=None, required=False)

    def __init__(self, *args, villages, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["secretary"].queryset = people
        self.fields["team"].queryset = people


class HandoverForm(forms.Form):
    secretary = forms.ModelChoiceField(label=_("Next first secretary"), queryset=None)
    on = forms.DateField(label=_("Hand-over date"), widget=DATE)
    level = forms.ChoiceField(label=_("Dispatching level"), choices=Level.choices)
    unit = forms.CharField(label=_("Dispatching unit"), max_length=80, required=False)
    team = forms.ModelMultipleChoiceField(label=_("Work team"), queryset=None, required=False)
    note = forms.CharField(label=_("Hand-over note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretary"].queryset = people
        self.fields["team"].queryset = people


class HouseholdForm(forms.Form):
    key = resubmit.KeyField()
    name = forms.CharField(label=_("Head of household"), max_length=40)
    phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)
    members = forms.IntegerField(label=_("Members"), min_value=1, max_value=99, initial=1)
    address = forms.CharField(label=_("Address"), max_length=80, required=False)
    categories = forms.ModelMultipleChoiceField(
        label=_("Must-visit categories"), queryset=MustVisitCategory.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple, required=False)


class VisitForm(forms.Form):
    key = resubmit.KeyField()
    method = forms.ChoiceField(label=_("Method"), choices=Visit.Method.choices, initial=Visit.Method.VISIT)
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    photo = forms.ImageField(label=_("Photo"), required=False)
    device_time = forms.DateTimeField(widget=forms.HiddenInput, required=False)
    lng = forms.FloatField(widget=forms.HiddenInput, required=False)
    lat = forms.FloatField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            self.fields[f"q_{q.code}"] = forms.CharField(label=q.name, required=False,
                                                         widget=forms.Textarea(attrs={"rows": 2}))

    def answers(self) -> dict:
        return {q: self.cleaned_data.get(f"q_{q.code}", "") for q in self.questions}

    def question_fields(self):
        return [self[f"q_{q.code}"] for q in self.questions]


class CaseForm(forms.Form):
    answer = forms.IntegerField(widget=forms.HiddenInput)
    category = forms.ModelChoiceField(label=_("Category"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=120, required=False)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class SurveyForm(forms.Form):
    key = resubmit.KeyField()
    item = forms.IntegerField(widget=forms.HiddenInput)
    yes = forms.NullBooleanField(label=_("Answer"), required=False, widget=forms.Select(choices=[
        ("", "—"), ("true", _("Yes")), ("false", _("No"))]))
    number = forms.DecimalField(label=_("Number"), max_digits=12, decimal_places=2, required=False, min_value=0)
    text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    measures = forms.CharField(label=_("Measures"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence = forms.FileField(label=_("Evidence (photo or PDF)"), required=False)


DOSSIER_WIDGETS = {"start_on": DATE, "end_on": DATE, "summary": forms.Textarea(attrs={"rows": 4})}


class DossierForm(forms.ModelForm):
    key = resubmit.KeyField()
    village = forms.ModelChoiceField(label=_("Village"), queryset=None)
    upload = forms.FileField(label=_("Document (PDF or photo)"), required=False)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        if self.instance.pk:
            del self.fields["village"]


class PlanForm(DossierForm):
    class Meta:
        model = AssistancePlan
        fields = ["kind", "title", "start_on", "end_on", "summary"]
        widgets = DOSSIER_WIDGETS


class ProjectForm(DossierForm):
    class Meta:
        model = IndustryProject
        fields = ["title", "stage", "investment", "expected_income", "start_on", "end_on", "summary"]
        widgets = DOSSIER_WIDGETS


class ReportForm(DossierForm):
    class Meta:
        model = ResearchReport
        fields = ["title", "start_on", "summary"]
        widgets = DOSSIER_WIDGETS


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")),
                                                                ("return", _("Return for revision"))])
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
