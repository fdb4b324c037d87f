from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.areas.models import Area
from lianxin.core.roles import ROLES
from lianxin.orgs.models import Org
from lianxin.people.models import Person


class SmsSendForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=20,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}))


class SmsLoginForm(SmsSendForm):
    code = forms.CharField(label=_("SMS code"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    consent = forms.BooleanField(
        label=_("I agree that my mobile number is used to sign me in and to contact me about my reports."),
    )


class AccountForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none(), required=False,
                                    help_text=_("The registry entry of the person who uses this account."))
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, required=False,
                               help_text=_("Staff sign in with a password; leave empty for SMS-only accounts."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(user).filter(account__isnull=True)
        self.fields["area"].queryset = Area.objects.visible_to(user, "view")


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False)
    org = forms.ModelChoiceField(label=_("Organisation"), queryset=Org.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(code, role.label) for code, role in ROLES.items()]
        self.fields["area"].queryset = Area.objects.visible_to(user)
        self.fields["org"].queryset = Org.objects.visible_to(user)

    def clean(self):
        data = super().clean()
        if bool(data.get("area")) == bool(data.get("org")):
            raise forms.ValidationError(_("Choose either an area or an organisation."))
        return data
