import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianxin.areas.models import Area
from lianxin.core.resubmit import KeyField
from lianxin.orgs.models import Org

from . import hours as opening
from .models import AMENITIES, Service, StationKind

PHONE_RE = re.compile(r"^[\d\-\s+()]{5,20}$")


def amenity_choices():
    return list(AMENITIES)


class StationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=StationKind.choices)
    name = forms.CharField(label=pgettext_lazy("of a thing", "Name"), max_length=100)
    lng = forms.FloatField(label=_("Longitude (WGS-84)"), min_value=-180, max_value=180,
                           widget=forms.NumberInput(attrs={"step": "0.000001"}))
    lat = forms.FloatField(label=_("Latitude (WGS-84)"), min_value=-90, max_value=90,
                           widget=forms.NumberInput(attrs={"step": "0.000001"}))
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False,
                                  help_text=_("Leave empty to take the grid (red-sail stations) or community "
                                              "that covers the point."))
    org = forms.ModelChoiceField(label=_("Host organisation"), queryset=Org.objects.none(), required=False,
                                 help_text=_("The firm hosting the station, if any."))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    amenities = forms.MultipleChoiceField(label=_("Amenities"), choices=amenity_choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    manager = forms.CharField(label=_("Manager (username)"), max_length=150, required=False,
                              help_text=_("An account holding the station manager, community staff or grid "
                                          "worker role in this area."))
    public_phone = forms.CharField(label=_("Service phone"), max_length=20, required=False,
                                   help_text=_("Shown on the public finder and the poster: use the station's "
                                               "service number, not a private mobile."))
    active = forms.BooleanField(label=_("In service"), required=False, initial=True)
    key = KeyField()

    def __init__(self, *args, areas=None, orgs=None, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        if station is not None:
            del self.fields["key"]  # an edit changes the station in place: a retry cannot duplicate anything
        areas = areas if areas is not None else Area.objects.none()
        orgs = orgs if orgs is not None else Org.objects.none()
        if station is not None:
            # The station's own area and host stay valid choices for whoever may change the station, even
            # where they see no other areas or firms (a manager named on the station).
            areas = Area.objects.filter(Q(pk__in=areas.values("pk")) | Q(pk=station.area_id)).order_by("path")
            orgs = Org.objects.filter(Q(pk__in=orgs.values("pk")) | Q(pk=station.org_id)).order_by("name")
        self.fields["area"].queryset = areas
        self.fields["org"].queryset = orgs
        for d, label in enumerate(opening.WEEKDAYS):
            self.fields[f"hours_{d}"] = forms.CharField(
                label=label, max_length=60, required=False, initial="08:00-20:00",
                help_text=_("e.g. 08:00-20:00, 07:00-12:00, 14:00-22:00, 20:00-02:00, 24h or closed") if d == 0
                else "")

    def clean_public_phone(self):
        value = self.cleaned_data["public_phone"].strip()
        if value and not PHONE_RE.match(value):
            raise ValidationError(_("Write a phone number with digits and dashes only."))
        return value

    def clean(self):
        data = super().clean()
        hours = []
        for d in range(7):
            try:
                hours.append(opening.normalise_day(data.get(f"hours_{d}", "")))
            except ValidationError as e:
                self.add_error(f"hours_{d}", e)
        data["hours"] = hours
        return data

    @classmethod
    def initial_for(cls, station) -> dict:
        initial = {f: getattr(station, f) for f in ("kind", "name", "lng", "lat", "address", "public_phone",
                                                    "active")}
        initial.update(area=station.area_id, org=station.org_id, manager=station.manager.username
                       if station.manager_id else "",
                       amenities=[key for key, _l in AMENITIES if getattr(station, key)])
        initial.update({f"hours_{d}": station.hours[d] if d < len(station.hours) else "" for d in range(7)})
        return initial


class StationFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *StationKind.choices])
    amenity = forms.ChoiceField(label=_("Amenity"), required=False, choices=lambda: [("", _("All")),
                                                                                      *amenity_choices()])
    active = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("All")), ("1", _("In service")), ("0", _("Out of service"))])


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo"))
    key = KeyField()


class CheckInForm(forms.Form):
    service = forms.ChoiceField(choices=Service.choices, error_messages={"required": _("Choose a service.")})
    key = forms.CharField(max_length=64, required=False)
