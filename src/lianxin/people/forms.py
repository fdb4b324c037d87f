from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.areas.models import Area
from lianxin.orgs.models import Org

from .kinds import kind_choices
from .models import Gender


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    kinds = forms.MultipleChoiceField(label=_("Kinds"), choices=(), required=False,
                                      widget=forms.CheckboxSelectMultiple(attrs={"class": "checks"}))
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, required=False)
    phone = forms.CharField(label=_("Mobile number"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    id_number = forms.CharField(label=_("Resident ID number"), max_length=18, required=False)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())
    org = forms.ModelChoiceField(label=_("Organisation"), queryset=Org.objects.none(), required=False)
    is_party_member = forms.BooleanField(label=_("Party member"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, action="add", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = kind_choices()
        self.fields["area"].queryset = Area.objects.visible_to(user)
        self.fields["org"].queryset = Org.objects.visible_to(user)


class PersonFilter(forms.Form):
    q = forms.CharField(label=_("Name"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False)
    org = forms.ModelChoiceField(label=_("Organisation"), queryset=Org.objects.none(), required=False)
    party = forms.ChoiceField(label=_("Party member"), required=False,
                              choices=[("", _("All")), ("1", _("Party members")), ("0", _("Not party members"))])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *kind_choices()]
        self.fields["area"].queryset = Area.objects.visible_to(user).exclude(kind="grid")
        self.fields["org"].queryset = Org.objects.visible_to(user)
