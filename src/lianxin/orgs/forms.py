from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianxin.areas.models import Area

from .models import Industry, Org, OrgKind


class OrgForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgKind.choices)
    name = forms.CharField(label=pgettext_lazy("of a thing", "Name"), max_length=120)
    short_name = forms.CharField(label=_("Short name"), max_length=40, required=False)
    code = forms.CharField(label=_("Code"), max_length=40, required=False,
                           help_text=_("Unified social credit code or internal code; optional."))
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(),
                                  help_text=_("Where the organisation sits."))
    parent = forms.ModelChoiceField(label=_("Parent organisation"), queryset=Org.objects.none(), required=False)
    industry = forms.ChoiceField(label=_("Industry"), choices=[("", "—"), *Industry.choices], required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.visible_to(user)
        self.fields["parent"].queryset = Org.objects.visible_to(user, "change")
