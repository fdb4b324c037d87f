from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lianxin.areas.models import Area
from lianxin.core import pii
from lianxin.core.resubmit import KeyField
from lianxin.duties.models import Method as ContactMethod
from lianxin.orgs.models import Org

from .models import (
    DemandLevel,
    DemandStatus,
    EventMode,
    IntakeWay,
    LoanProduct,
    MeasureStatus,
    Method,
    SubsidyPolicy,
    TalentIndustry,
    Tier,
    yuan_to_fen,
)

DATE = forms.DateInput(attrs={"type": "date"})


def blank(choices):
    return [("", "—"), *choices]


class TalentFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    tier = forms.ModelChoiceField(label=_("Tier"), queryset=Tier.objects.filter(is_active=True), required=False)
    industry = forms.ChoiceField(label=_("Industry"), choices=blank(TalentIndustry.choices), required=False)
    intake_way = forms.ChoiceField(label=_("Way of intake"), choices=blank(IntakeWay.choices), required=False)
    intake_year = forms.IntegerField(label=_("Intake year"), required=False, min_value=1949, max_value=2100)


class TalentForm(forms.Form):
    key = KeyField()
    name = forms.CharField(label=_("Name"), max_length=60)
    phone = forms.CharField(label=_("Mobile number"), max_length=20, required=False,
                            help_text=_("A person already registered with this number is used."))
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(),
                                  help_text=_("Where the talent lives or works."))
    tier = forms.ModelChoiceField(label=_("Tier"), queryset=Tier.objects.filter(is_active=True))
    field = forms.CharField(label=_("Field"), max_length=80, required=False)
    industry = forms.ChoiceField(label=_("Industry"), choices=TalentIndustry.choices)
    employer = forms.ModelChoiceField(label=_("Employer"), queryset=Org.objects.none(), required=False)
    intake_date = forms.DateField(label=_("Intake date"), required=False, widget=DATE)
    intake_way = forms.ChoiceField(label=_("Way of intake"), choices=IntakeWay.choices)
    honours = forms.CharField(label=_("Honours"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, areas, orgs, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["employer"].queryset = orgs
        if editing:
            for name in ("name", "phone", "area"):
                del self.fields[name]

    def clean_phone(self):
        value = self.cleaned_data.get("phone") or ""
        return pii.validate_mobile(value) if value else ""


class MeasureForm(forms.Form):
    key = KeyField()
    title = forms.CharField(label=_("Measure"), max_length=120)
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DATE)
    responsible = forms.CharField(label=_("Responsible"), max_length=80, required=False)
    detail = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpForm(forms.Form):
    key = KeyField()
    measure = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(label=_("Follow-up"), max_length=500)
    status = forms.ChoiceField(label=_("Status"), choices=blank(MeasureStatus.choices), required=False)


class LinkForm(forms.Form):
    leader = forms.CharField(label=_("County leader (username)"), max_length=150)
    post = forms.CharField(label=_("Post"), max_length=40, required=False)
    since = forms.DateField(label=_("Since"), required=False, widget=DATE)


class ContactForm(forms.Form):
    key = KeyField()
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=None, required=False,
                                    help_text=_("Whose contact this is (default: yours)."))
    method = forms.ChoiceField(label=_("How"), choices=ContactMethod.choices)
    done_on = forms.DateField(label=_("Date"), widget=DATE)
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders


class RequestForm(forms.Form):
    key = KeyField()
    category = forms.ModelChoiceField(label=_("Kind of request"), queryset=None)
    title = forms.CharField(label=_("Request"), max_length=120)
    description = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class DemandFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    industry = forms.ChoiceField(label=_("Industry"), choices=blank(TalentIndustry.choices), required=False)
    level = forms.ChoiceField(label=_("Level"), choices=blank(DemandLevel.choices), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=blank(DemandStatus.choices), required=False)


class DemandForm(forms.Form):
    key = KeyField()
    employer = forms.ModelChoiceField(label=_("Employer"), queryset=Org.objects.none())
    position = forms.CharField(label=_("Position"), max_length=80)
    industry = forms.ChoiceField(label=_("Industry"), choices=TalentIndustry.choices)
    level = forms.ChoiceField(label=_("Level"), choices=DemandLevel.choices)
    count = forms.IntegerField(label=_("People needed"), min_value=1, max_value=10000, initial=1)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = orgs


class EventForm(forms.Form):
    key = KeyField()
    name = forms.CharField(label=_("Title"), max_length=100)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    mode = forms.ChoiceField(label=_("Form"), choices=EventMode.choices)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())
    venue = forms.CharField(label=_("Venue or channel"), max_length=100, required=False)
    firms = forms.ModelMultipleChoiceField(label=_("Participating firms"), queryset=Org.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)
    applicants = forms.IntegerField(label=_("Applicants"), min_value=0, initial=0)

    def __init__(self, *args, areas, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["firms"].queryset = orgs


class HireForm(forms.Form):
    key = KeyField()
    name = forms.CharField(label=_("Name"), max_length=60)
    employer = forms.ModelChoiceField(label=_("Employer"), queryset=Org.objects.none())
    demand = forms.ModelChoiceField(label=_("Fills demand"), queryset=None, required=False)
    position = forms.CharField(label=_("Position"), max_length=80, required=False)
    hired_on = forms.DateField(label=_("Hired on"), widget=DATE)
    phone = forms.CharField(label=_("Mobile number"), max_length=20, required=False)

    def __init__(self, *args, firms, demands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = firms
        self.fields["demand"].queryset = demands
        self.fields["demand"].label_from_instance = lambda d: f"{d.employer.name} · {d.position} ({d.count})"

    def clean_phone(self):
        value = self.cleaned_data.get("phone") or ""
        return pii.validate_mobile(value) if value else ""


class MatchForm(forms.Form):
    talent = forms.ModelChoiceField(label=_("Talent from the registry"), queryset=None)

    def __init__(self, *args, talents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talent"].queryset = talents


class ApartmentForm(forms.Form):
    key = KeyField()
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())
    building = forms.CharField(label=_("Building"), max_length=60)
    unit = forms.CharField(label=_("Unit"), max_length=20)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    size_m2 = forms.DecimalField(label=_("Size (m²)"), max_digits=6, decimal_places=2, min_value=1)
    rooms = forms.IntegerField(label=_("Rooms"), min_value=1, max_value=9, initial=1)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class RoundForm(forms.Form):
    key = KeyField()
    name = forms.CharField(label=_("Title"), max_length=100)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())
    method = forms.ChoiceField(label=_("Allocation"), choices=Method.choices)
    tiers = forms.ModelMultipleChoiceField(label=_("Eligible tiers"), queryset=Tier.objects.filter(is_active=True),
                                           widget=forms.CheckboxSelectMultiple)
    max_years_since_intake = forms.IntegerField(label=_("At most years since intake"), min_value=1, required=False)
    employer_in_area = forms.BooleanField(label=_("Employer in the area"), required=False, initial=True)
    term_months = forms.IntegerField(label=_("Tenancy (months)"), min_value=1, max_value=120, initial=36)
    units = forms.ModelMultipleChoiceField(label=_("Units offered"), queryset=None,
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, areas, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["units"].queryset = units


class ApplyForm(forms.Form):
    talent = forms.ModelChoiceField(label=_("Talent"), queryset=None)
    points = forms.IntegerField(label=_("Points"), min_value=0, max_value=1000, initial=0, required=False)

    def __init__(self, *args, talents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talent"].queryset = talents


class YuanField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return 0
        fen = yuan_to_fen(value)
        if fen < 0:
            raise ValidationError(_("An amount cannot be negative."))
        return fen


class SubsidyForm(forms.Form):
    key = KeyField()
    policy = forms.ChoiceField(label=_("Policy"), choices=SubsidyPolicy.choices)
    talent = forms.ModelChoiceField(label=_("Talent"), queryset=None, required=False)
    employer = forms.ModelChoiceField(label=_("Employer"), queryset=Org.objects.none(), required=False)
    granted = YuanField(label=_("Granted (yuan)"))
    granted_on = forms.DateField(label=_("Granted on"), widget=DATE)
    paid = YuanField(label=_("Paid (yuan)"), required=False)
    paid_on = forms.DateField(label=_("Paid on"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, talents, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talent"].queryset = talents
        self.fields["employer"].queryset = orgs

    def clean(self):
        data = super().clean()
        if not data.get("talent") and not data.get("employer"):
            raise ValidationError(_("Say whom the money is for: a talent or an employer."))
        return data


class LoanForm(forms.Form):
    key = KeyField()
    product = forms.ChoiceField(label=_("Product"), choices=LoanProduct.choices)
    bank = forms.CharField(label=_("Bank"), max_length=60)
    employer = forms.ModelChoiceField(label=_("Employer"), queryset=Org.objects.none(), required=False)
    talent = forms.ModelChoiceField(label=_("Talent"), queryset=None, required=False)
    amount = YuanField(label=_("Amount (yuan)"))
    arranged_on = forms.DateField(label=_("Arranged on"), widget=DATE)
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=360, initial=12)

    def __init__(self, *args, talents, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talent"].queryset = talents
        self.fields["employer"].queryset = orgs

    def clean(self):
        data = super().clean()
        if not data.get("talent") and not data.get("employer"):
            raise ValidationError(_("Say whom the money is for: a talent or an employer."))
        return data
