from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.areas.models import Area, AreaKind
from lianxin.core.clock import today
from lianxin.core.resubmit import KeyField, new_key
from lianxin.orgs.models import Org, OrgKind
from lianxin.people.models import Person

from .models import WORKER_KINDS, RegKind


def date_input():
    """An HTML date picker: its value must be ISO whatever the language's date format."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _area(user, text: str, kinds=(AreaKind.COMMUNITY, AreaKind.GRID)) -> Area:
    text = (text or "").strip()
    qs = Area.objects.visible_to(user).filter(kind__in=kinds)
    found = qs.filter(code=text).first() or qs.filter(name=text).first()
    if found is None:
        raise forms.ValidationError(_("No such area in your scope: %(t)s") % {"t": text})
    return found


def _org(user, text: str, kinds=None) -> Org:
    text = (text or "").strip()
    qs = Org.objects.visible_to(user)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    found = (qs.filter(code=text).first() if text else None) or qs.filter(name=text).first()
    if found is None and text.isascii() and text.isdigit() and len(text) < 19:
        found = qs.filter(pk=int(text)).first()
    if found is None:
        raise forms.ValidationError(_("No such organisation in your scope: %(t)s") % {"t": text})
    return found


class UserForm(forms.Form):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user


class WorkerFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    platform = forms.ModelChoiceField(label=_("Platform"), queryset=Org.objects.none(), required=False)
    area = forms.ModelChoiceField(label=_("County / town / community"), queryset=Area.objects.none(),
                                  required=False)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[
        ("", "—"), ("grid", _("Part-time grid worker")), ("collector", _("Problem collector")),
        ("promoter", _("Policy promoter"))])
    party = forms.ChoiceField(label=_("Party member"), required=False,
                              choices=[("", "—"), ("1", _("Yes")), ("0", _("No"))])

    def __init__(self, *args, platforms=None, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].queryset = platforms if platforms is not None else Org.objects.none()
        self.fields["area"].queryset = areas if areas is not None else Area.objects.none()


class WorkerForm(UserForm):
    person = forms.CharField(label=_("Person"), help_text=_("Mobile number or exact name of a rider, courier or "
                                                            "driver in the people registry."))
    org = forms.CharField(label=_("Platform firm"), help_text=_("The firm's code or exact name."))
    branch = forms.CharField(label=_("Branch / station"), required=False,
                             help_text=_("An organisation below the firm (code or name), or any station name."))
    area = forms.CharField(label=_("Residence community"), required=False,
                           help_text=_("Community code or name; empty: where the person lives."))
    is_collector = forms.BooleanField(label=_("Problem collector"), required=False)
    is_promoter = forms.BooleanField(label=_("Policy promoter"), required=False)
    joined_on = forms.DateField(label=_("Registered on"), required=False,
                                widget=date_input())
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    key = KeyField()

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["person"], self.fields["key"]

    def clean_person(self):
        text = self.cleaned_data["person"].strip()
        qs = Person.objects.visible_to(self.user).filter(tags__kind__in=WORKER_KINDS).distinct()
        found = list(qs.filter(phone=text)[:2]) or list(qs.filter(name=text)[:2])
        if not found:
            raise forms.ValidationError(_("No rider, courier or driver with this mobile number or name in your "
                                          "scope."))
        if len(found) > 1:
            raise forms.ValidationError(_("Several people have this name: give the mobile number."))
        return found[0]

    def clean_org(self):
        return _org(self.user, self.cleaned_data["org"], (OrgKind.FIRM,))

    def clean_area(self):
        # Where a rider lives need not be in the staff's area (an industry committee registers its firms' riders).
        from .queries import community_by_code

        text = self.cleaned_data["area"].strip()
        if not text:
            return None
        found = community_by_code(text)
        if found is None:
            raise forms.ValidationError(_("No such community: %(t)s") % {"t": text})
        return found

    def clean(self):
        data = super().clean()
        text = (data.get("branch") or "").strip()
        data["branch_name"], data["branch"] = "", None
        firm = data.get("org")
        if text and firm is not None:
            below = Org.objects.visible_to(self.user).filter(path__startswith=firm.path).exclude(pk=firm.pk)
            data["branch"] = below.filter(code=text).first() or below.filter(name=text).first()
            if data["branch"] is None:
                data["branch_name"] = text
        return data


class GridForm(UserForm):
    grid = forms.CharField(label=_("Grid"), required=False, help_text=_("Grid code or name; empty to end."))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def clean_grid(self):
        text = self.cleaned_data["grid"]
        return _area(self.user, text, (AreaKind.GRID,)) if text.strip() else None


class RegistrationFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", "—"), *RegKind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", "—"), ("active", _("Registered")), ("ended", _("Ended"))])


class RegistrationForm(UserForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=RegKind.choices)
    area = forms.CharField(label=_("Community"), help_text=_("Community code or name."))
    org = forms.CharField(label=_("Unit"), required=False,
                          help_text=_("Unit registration: the party organisation (or firm), code or name."))
    person = forms.CharField(label=_("Party member"), required=False,
                             help_text=_("Member registration: the member's mobile number or exact name."))
    registered_on = forms.DateField(label=_("Registered on"), initial=today,
                                    widget=date_input())
    services = forms.CharField(label=_("Services taken on"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}), help_text=_("One a line."))
    key = KeyField()

    def clean_area(self):
        return _area(self.user, self.cleaned_data["area"], (AreaKind.COMMUNITY,))

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == RegKind.ORG:
            try:
                data["org"] = _org(self.user, data.get("org", ""))
            except forms.ValidationError as e:
                self.add_error("org", e)
            data["person"] = None
        elif kind == RegKind.MEMBER:
            text = (data.get("person") or "").strip()
            qs = Person.objects.visible_to(self.user)
            found = list(qs.filter(phone=text)[:2]) or list(qs.filter(name=text)[:2]) if text else []
            if len(found) != 1:
                self.add_error("person", _("Give the mobile number or the exact name of one person in your scope."))
            else:
                data["person"] = found[0]
            data["org"] = None
        return data


class FeedbackForm(forms.Form):
    notes = forms.CharField(label=_("Feedback to the unit"), widget=forms.Textarea(attrs={"rows": 3}),
                            max_length=2000)
    done_on = forms.DateField(label=_("Date"), required=False, widget=date_input())
    key = forms.CharField(widget=forms.HiddenInput, max_length=80)


class EndForm(forms.Form):
    on = forms.DateField(label=_("Date"), required=False, widget=date_input())
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class NeedForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Kind of need"), queryset=None)
    title = forms.CharField(label=_("What is needed"), max_length=120)
    description = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    area = forms.ModelChoiceField(label=_("Community"), queryset=Area.objects.none())
    key = KeyField()  # the case engine keeps it (cases.report's idempotency key)

    def __init__(self, *args, categories=None, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["area"].queryset = areas if areas is not None else Area.objects.none()


class CompleteForm(forms.Form):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    photo = forms.ImageField(label=_("Photo"), required=False,
                             widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}))


class CommitteeForm(UserForm):
    area = forms.CharField(label=_("Community"), help_text=_("Community code or name."))
    org = forms.CharField(label=_("Member unit"), help_text=_("The unit or its party organisation, code or name."))
    post = forms.CharField(label=_("Post"), max_length=40, initial="兼职委员")
    representative = forms.CharField(label=_("Representative"), required=False, max_length=60)
    from_on = forms.DateField(label=_("From"), initial=today, widget=date_input())
    to_on = forms.DateField(label=_("To"), required=False, widget=date_input())
    key = KeyField()

    def clean_area(self):
        return _area(self.user, self.cleaned_data["area"], (AreaKind.COMMUNITY,))

    def clean_org(self):
        return _org(self.user, self.cleaned_data["org"])


class CampaignForm(UserForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    theme = forms.CharField(label=_("Theme"), required=False, max_length=120)
    area = forms.CharField(label=_("Area"), help_text=_("County, town or community: code or name."))
    starts_on = forms.DateField(label=_("Starts on"), widget=date_input())
    ends_on = forms.DateField(label=_("Ends on"), widget=date_input())
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    material = forms.FileField(label=_("Material (image or PDF)"), required=False)
    key = KeyField()

    def clean_area(self):
        return _area(self.user, self.cleaned_data["area"],
                     (AreaKind.COUNTY, AreaKind.TOWN, AreaKind.COMMUNITY))


class TeamForm(forms.Form):
    add = forms.CharField(label=_("Add promoter"), required=False,
                          help_text=_("Mobile number or exact name of a policy promoter."))
    remove = forms.IntegerField(required=False, widget=forms.HiddenInput)


class DeliveryForm(forms.Form):
    worker = forms.ModelChoiceField(label=_("Promoter"), queryset=None)
    area = forms.ModelChoiceField(label=_("Where"), queryset=None)
    done_on = forms.DateField(label=_("Date"), initial=today, widget=date_input())
    households = forms.IntegerField(label=_("Households reached"), min_value=0, max_value=100000)
    flyers = forms.IntegerField(label=_("Flyers delivered with parcels"), min_value=0, max_value=100000)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=300)
    key = forms.CharField(widget=forms.HiddenInput, max_length=80)

    def __init__(self, *args, workers=None, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
        self.fields["area"].queryset = areas
        if not self.is_bound:
            self.initial.setdefault("key", new_key())
            if workers is not None and workers.count() == 1:
                only = workers.first()
                self.initial.setdefault("worker", only.pk)
                if areas is not None and areas.filter(pk=only.area_id).exists():
                    self.initial.setdefault("area", only.area_id)
            if areas is not None and "area" not in self.initial and areas.exists():
                self.initial["area"] = areas.first().pk


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=date_input())
    end = forms.DateField(label=_("To"), required=False, widget=date_input())
    county = forms.ModelChoiceField(label=_("County"), queryset=Area.objects.none(), required=False)

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties if counties is not None else Area.objects.none()

    def period(self) -> tuple[date, date]:
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today()
        start = data.get("start") or date(end.year, 1, 1)
        return (start, end) if start <= end else (end, start)
