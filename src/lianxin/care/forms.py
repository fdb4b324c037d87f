
from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.areas.models import Area
from lianxin.core.resubmit import new_key

from .models import FLAGS, ContactPreference, HealthEventKind, Occasion, Retiree, RetirementItem, Status
from .queries import PERIODS


class LogForm(forms.Form):
    method = forms.ChoiceField(choices=[("phone", _("Phone call")), ("visit", _("Visit"))])
    notes = forms.CharField(label=_("Note"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.ImageField(label=_("Photo"), required=False,
                             widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}))
    key = forms.CharField(widget=forms.HiddenInput, max_length=80)
    # The family doctor's card says which duty the call or visit was: a health follow-up.
    duty = forms.ChoiceField(required=False, choices=[("", ""), ("health_followup", "health_followup")])


class PlanEntryForm(forms.Form):
    on = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    need = forms.CharField(label=_("Need"), widget=forms.Textarea(attrs={"rows": 2}))
    measure = forms.CharField(label=_("Measure"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    result = forms.CharField(label=_("Result"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_step = forms.CharField(label=_("Next step"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Retiree
        fields = ["former_post", "level", "retirement_date", *FLAGS, "contact_preference", "notes"]
        widgets = {"retirement_date": forms.DateInput(attrs={"type": "date"}),
                   "notes": forms.Textarea(attrs={"rows": 2})}

    contact_preference = forms.ChoiceField(label=_("contact preference"), choices=ContactPreference.choices,
                                           required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    on = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    area = forms.CharField(label=_("New area code (when moved)"), required=False, max_length=30)
    care_cadre = forms.CharField(label=_("New care cadre's username (optional)"), required=False, max_length=150)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_area(self):
        code = self.cleaned_data["area"].strip()
        if not code:
            return None
        area = Area.objects.visible_to(self.user).filter(code=code).first()
        if area is None:
            raise forms.ValidationError(_("There is no area with this code in your scope."))
        return area


class AssignForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[("care_cadre", _("Care cadre")),
                                                       ("family_doctor", _("Family doctor"))])
    username = forms.CharField(label=_("Username"), max_length=150)


class RetireeFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *Status.choices])


class StatsForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), required=False, choices=[
        ("month", _("Month")), ("quarter", _("Quarter")), ("year", _("Year"))])
    on = forms.DateField(label=_("Containing the date"), required=False,
                         widget=forms.DateInput(attrs={"type": "date"}))
    area = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_period(self):
        value = self.cleaned_data.get("period") or "quarter"
        return value if value in PERIODS else "quarter"


class StepForm(forms.Form):
    item = forms.ChoiceField(label=_("Item"), choices=RetirementItem.choices)
    done_on = forms.DateField(label=_("Done on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class LiaisonForm(forms.Form):
    phone = forms.CharField(label=_("Liaison's mobile number"), max_length=11,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class HealthEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=HealthEventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    area = forms.CharField(label=_("Area code"), max_length=30)
    organiser = forms.CharField(label=_("Organiser"), required=False, max_length=120)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_area(self):
        area = Area.objects.visible_to(self.user).filter(code=self.cleaned_data["area"].strip()).first()
        if area is None:
            raise forms.ValidationError(_("There is no area with this code in your scope."))
        return area


class GroupVisitForm(forms.Form):
    occasion = forms.ChoiceField(label=_("Occasion"), choices=Occasion.choices)
    title = forms.CharField(label=_("Title"), required=False, max_length=120,
                            help_text=_("E.g. 2027 Spring Festival visits; the occasion's name if left empty."))
    area = forms.CharField(label=_("Area code"), max_length=30,
                           help_text=_("Every living retiree of this area and the areas below it."))
    unit = forms.CharField(label=_("Former unit code (optional)"), required=False, max_length=40)
    flags = forms.MultipleChoiceField(label=_("Only retirees who are"), required=False,
                                      widget=forms.CheckboxSelectMultiple,
                                      choices=[(f, Retiree._meta.get_field(f).verbose_name) for f in FLAGS])
    start_on = forms.DateField(label=_("Visits from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(label=_("Visits due by"), widget=forms.DateInput(attrs={"type": "date"}))
    key = forms.CharField(widget=forms.HiddenInput, max_length=80)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not self.is_bound:
            self.initial.setdefault("key", new_key())

    def clean_area(self):
        area = Area.objects.visible_to(self.user).filter(code=self.cleaned_data["area"].strip()).first()
        if area is None:
            raise forms.ValidationError(_("There is no area with this code in your scope."))
        return area

    def clean_unit(self):
        from lianxin.orgs.models import Org

        code = self.cleaned_data["unit"].strip()
        if not code:
            return None
        unit = Org.objects.visible_to(self.user).filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(_("There is no organisation with this code in your scope."))
        return unit


class GroupFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)


class LedgerRange(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To (not included)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
