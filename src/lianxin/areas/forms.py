from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import geo, services
from .models import PARENT_KIND, Area


class AreaForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("of a thing", "Name"), max_length=100)
    code = forms.CharField(label=_("Division code"), max_length=32)
    is_demo_code = forms.BooleanField(label=_("Made-up code (demo data)"), required=False)
    parent = forms.ModelChoiceField(label=_("Parent area"), queryset=Area.objects.none(), required=False)
    boundary = forms.CharField(
        label=_("Boundary (GeoJSON)"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A GeoJSON Polygon or MultiPolygon in WGS-84 longitude/latitude, e.g. exported from a GIS."),
    )

    def __init__(self, *args, user, kind: str, instance: Area | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        parent_kind = PARENT_KIND.get(kind)
        if parent_kind:
            self.fields["parent"].queryset = Area.objects.visible_to(user, "change").filter(kind=parent_kind)
            self.fields["parent"].required = True
        else:
            del self.fields["parent"]

    def clean_code(self):
        return services.clean_code(self.cleaned_data["code"])

    def clean_boundary(self):
        return geo.parse_boundary(self.cleaned_data["boundary"])


class BoundaryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Boundary file (GeoJSON, or a zipped Shapefile)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,.zip,application/geo+json,application/zip"}),
    )
