
from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.areas.models import Area
from lianxin.cases.models import Category
from lianxin.core.resubmit import new_key

from .types import WISH


class WishForm(forms.Form):
    """Staff or a care cadre post a micro-wish on behalf of a retiree or another resident."""

    retiree = forms.TypedChoiceField(label=_("For the retired cadre"), required=False, coerce=int, empty_value=None,
                                     help_text=_("Or leave empty and give the resident's name and area below."))
    beneficiary = forms.CharField(label=_("Or for the resident"), required=False, max_length=60)
    area = forms.CharField(label=_("Resident's area code"), required=False, max_length=30)
    category = forms.ModelChoiceField(label=_("Kind of wish"), queryset=Category.objects.none())
    title = forms.CharField(label=_("What is wished for"), max_length=120,
                            help_text=_("Only the thing needed; the board shows it to volunteers. No names here."))
    description = forms.CharField(label=_("Details for the volunteer who takes it"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.ImageField(label=_("Photo"), required=False)
    key = forms.CharField(widget=forms.HiddenInput, max_length=80)

    def __init__(self, *args, user=None, retirees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.retirees = {r.pk: r for r in retirees}
        self.fields["retiree"].choices = [("", "—"), *((r.pk, f"{r.name} · {r.area.name}") for r in retirees)]
        self.fields["category"].queryset = Category.objects.filter(
            parent__isnull=False, is_active=True, case_types__contains=WISH).order_by("full_code")
        if not self.is_bound:
            self.initial.setdefault("key", new_key())

    def clean(self):
        data = super().clean()
        retiree = self.retirees.get(data.get("retiree"))
        if data.get("retiree") and retiree is None:
            self.add_error("retiree", _("Choose a retiree from the list."))
            return data
        data["retiree_obj"] = retiree
        if retiree is not None:
            data["area_obj"], data["name"] = retiree.person.area, retiree.name
            return data
        if not (data.get("beneficiary") or "").strip():
            self.add_error("beneficiary", _("Choose a retiree or give the resident's name."))
        code = (data.get("area") or "").strip()
        area = Area.objects.visible_to(self.user).filter(code=code).first() if code else None
        if area is None:
            self.add_error("area", _("There is no area with this code in your scope."))
        data["area_obj"], data["name"] = area, (data.get("beneficiary") or "").strip()
        return data
