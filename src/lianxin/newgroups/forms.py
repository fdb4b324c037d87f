
from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.areas.models import Area, AreaKind
from lianxin.core.resubmit import KeyField
from lianxin.duties.models import Method
from lianxin.orgs.models import PARTY_KINDS, Industry, Org, OrgKind

from .models import Coverage, FirmProfile, MeasureLevel

COVERAGE_FILTER = [("", _("Any coverage")), *Coverage.choices, ("below", _("Below the rule"))]


class FirmFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=60)
    industry = forms.ChoiceField(label=_("Industry"), required=False,
                                 choices=[("", _("Any industry")), *Industry.choices])
    area = forms.ModelChoiceField(label=_("County / town"), required=False, queryset=Area.objects.none(),
                                  empty_label=_("Anywhere"))
    coverage = forms.ChoiceField(label=_("Coverage"), required=False, choices=COVERAGE_FILTER)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.visible_to(user).filter(
            kind__in=[AreaKind.COUNTY, AreaKind.TOWN, AreaKind.COMMUNITY]).order_by("path")


class ProfileForm(forms.ModelForm):
    class Meta:
        model = FirmProfile
        fields = ["brand", "is_headquarters", "headquarters", "workers", "formal_members", "probationary_members",
                  "contact_name", "contact_phone", "committee", "address", "registered_on"]
        widgets = {"registered_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["headquarters"].queryset = FirmProfile.objects.visible_to(user).filter(
            is_headquarters=True).select_related("org")
        self.fields["committee"].queryset = Org.objects.visible_to(user).filter(kind=OrgKind.INDUSTRY_COMMITTEE)
        self.fields["contact_phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        if self.instance.pk and self.instance.contact_phone:
            self.initial["contact_phone"] = ""
            self.fields["contact_phone"].help_text = _("Stored: %(v)s. Leave empty to keep it.") % {
                "v": self.instance.contact_phone_masked}
        self.fields["registered_on"].required = False


class FirmCreateForm(ProfileForm):
    name = forms.CharField(label=_("Firm name"), max_length=120)
    area = forms.CharField(label=_("Area code"), max_length=32,
                           help_text=_("The community (or town) where the firm or outlet is."))
    code = forms.CharField(label=_("Unified social credit code"), max_length=40, required=False)
    key = KeyField()

    class Meta(ProfileForm.Meta):
        fields = ["name", "area", "code", *ProfileForm.Meta.fields]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.user = user
        self.fields["committee"].required = True
        self.order_fields(["name", "committee", "area", "code"])

    def clean(self):
        data = super().clean()
        code = (data.get("area") or "").strip()
        committee = data.get("committee")
        area = Area.objects.visible_to(self.user).filter(code=code).first() if code else None
        if area is None and code and committee is not None:
            from .queries import area_below

            area = area_below(committee, code)  # an org grant reaches the committee's firms, not areas
        if code and area is None:
            self.add_error("area", _("There is no area with the code “%(code)s” in your scope.") % {"code": code})
        data["area"] = area
        return data


class CoverageForm(forms.Form):
    after = forms.ChoiceField(label=_("New coverage"), choices=Coverage.choices)
    covering_org = forms.ModelChoiceField(label=_("Covering organisation"), required=False,
                                          queryset=Org.objects.none())
    on = forms.DateField(label=_("Effective on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
    key = KeyField()

    def __init__(self, *args, user=None, firm=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["covering_org"].queryset = party_orgs(user, firm)


def party_orgs(user, firm):
    """Party organisations that may cover ``firm``: under the firm, or joint branches of its county."""
    qs = Org.objects.visible_to(user).filter(kind__in=PARTY_KINDS, is_active=True).exclude(
        kind__in=[OrgKind.PARTY_COMMITTEE, OrgKind.WORKING_COMMITTEE, OrgKind.INDUSTRY_COMMITTEE])
    if firm is not None:
        county = next((a for a in firm.org.area.ancestors() if a.kind == AreaKind.COUNTY), None)
        if county is not None:
            qs = qs.filter(area__path__startswith=county.path)
    return qs.order_by("path")


class AssignForm(forms.Form):
    instructor = forms.ModelChoiceField(label=_("Instructor"), queryset=None)
    on = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, instructors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instructor"].queryset = instructors
        self.fields["instructor"].label_from_instance = lambda u: u.display_name


class VisitForm(forms.Form):
    method = forms.ChoiceField(label=_("How"), choices=Method.choices, initial=Method.VISIT)
    done_on = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("What was done"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.ImageField(label=_("Photo"), required=False,
                             widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}))
    key = forms.CharField(widget=forms.HiddenInput, max_length=80)


class CloseForm(forms.Form):
    mode = forms.ChoiceField(label=_("Evidence"), widget=forms.RadioSelect, choices=[
        ("new", _("A branch created now under the firm")),
        ("existing", _("An existing organisation (the firm's own branch or the joint branch it joined)")),
    ], initial="new")
    new_branch = forms.CharField(label=_("Name of the new branch"), required=False, max_length=120)
    evidence_org = forms.ModelChoiceField(label=_("Organisation"), required=False, queryset=Org.objects.none())
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, firm=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence_org"].queryset = party_orgs(user, firm)

    def clean(self):
        data = super().clean()
        if data.get("mode") == "new" and not (data.get("new_branch") or "").strip():
            self.add_error("new_branch", _("Give the name of the branch created under the firm."))
        if data.get("mode") == "existing" and not data.get("evidence_org"):
            self.add_error("evidence_org", _("Choose the organisation."))
        return data


class MeasureForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=MeasureLevel.choices)
    org = forms.ModelChoiceField(label=_("Issuing organisation"), required=False, queryset=Org.objects.none(),
                                 help_text=_("For the city and industry levels: the working committee or the "
                                             "industry party committee."))
    area = forms.ModelChoiceField(label=_("Town or street"), required=False, queryset=Area.objects.none(),
                                  help_text=_("For the town level."))
    title = forms.CharField(label=_("Title"), max_length=160)
    number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("Issued on"), widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("File (PDF or image)"), required=False)
    key = KeyField()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = Org.objects.visible_to(user, "view").filter(
            kind__in=[OrgKind.WORKING_COMMITTEE, OrgKind.INDUSTRY_COMMITTEE]).order_by("path")
        self.fields["area"].queryset = Area.objects.visible_to(user).filter(kind=AreaKind.TOWN).order_by("path")


class StatsForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), required=False, queryset=Area.objects.none(), empty_label=None)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To (included)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
