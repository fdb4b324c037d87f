from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.areas.models import Area
from lianxin.core.resubmit import KeyField
from lianxin.orgs.models import Org

from .kinds import kind_choices
from .models import Audience

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityForm(forms.Form):
    key = KeyField()
    kind = forms.ChoiceField(label=_("Kind"), choices=kind_choices)
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    org = forms.ModelChoiceField(label=_("Organiser"), queryset=Org.objects.none(), required=False,
                                 help_text=_("The branch for a party meeting; its members are the roster."))
    area = forms.ModelChoiceField(label=_("Organising area"), queryset=Area.objects.none(), required=False,
                                  help_text=_("For an activity organised by a community, town or county."))
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    seat_limit = forms.IntegerField(label=_("Seats"), min_value=1, required=False,
                                    help_text=_("Open sign-up only; empty for no limit."))
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=120)
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, orgs=None, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs if orgs is not None else Org.objects.none()
        self.fields["area"].queryset = areas if areas is not None else Area.objects.none()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class PostponeForm(ReasonForm):
    starts_at = forms.DateTimeField(label=_("New start"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("New end"), widget=DATETIME)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class MinutesForm(forms.Form):
    key = KeyField()
    text = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    resolutions = forms.CharField(label=_("Resolutions"), widget=forms.Textarea(attrs={"rows": 3}),
                                  required=False)
    photos = MultipleFileField(label=_("Photos"), required=False,
                             widget=MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))


class ThemeForm(forms.Form):
    key = KeyField()
    month = forms.DateField(label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
                            input_formats=["%Y-%m", "%Y-%m-%d"])
    area = forms.ModelChoiceField(label=_("Level"), queryset=Area.objects.none())
    title = forms.CharField(label=_("Theme"), max_length=120)
    materials = forms.CharField(label=_("Materials"), widget=forms.Textarea(attrs={"rows": 5}), required=False)

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas if areas is not None else Area.objects.none()
