from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianxin.areas.models import Area
from lianxin.core.resubmit import KeyField
from lianxin.orgs.models import Org

from .models import Category, Kind, Level


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    body = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 14}),
                           help_text=_("Paragraphs of text, or simple HTML (headings, bold, lists, links); anything "
                                       "else is removed."))
    document = forms.FileField(label=_("PDF document"), required=False)
    media_url = forms.URLField(label=_("Audio or video link"), required=False, assume_scheme="https")
    media_minutes = forms.IntegerField(label=_("Length in minutes"), required=False, min_value=1, max_value=600)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    tags = forms.CharField(label=_("Tags"), required=False, max_length=200,
                           help_text=_("Separated by commas."))
    source = forms.CharField(label=_("Source"), max_length=120, required=False)
    level = forms.ChoiceField(label=_("Publishing level"), choices=Level.choices)
    area = forms.ModelChoiceField(label=_("Publishing area (city or county)"), queryset=Area.objects.none())
    org = forms.ModelChoiceField(label=_("Publishing organisation"), queryset=Org.objects.none(), required=False,
                                 help_text=_("For the organisation level."))
    audience_area = forms.ModelChoiceField(label=_("Audience: an area and below"), queryset=Area.objects.none(),
                                           required=False, help_text=_("Leave both empty for everyone."))
    audience_org = forms.ModelChoiceField(label=_("Audience: an organisation and below"),
                                          queryset=Org.objects.none(), required=False)
    key = KeyField()

    def __init__(self, *args, areas=None, orgs=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["key"]
        self.fields["category"].queryset = Category.objects.filter(active=True).order_by("path")
        self.fields["category"].label_from_instance = lambda c: ("— " * c.depth) + c.name
        self.fields["area"].queryset = areas.filter(kind__in=("city", "county")) if areas is not None else \
            Area.objects.none()
        self.fields["audience_area"].queryset = areas.exclude(kind="grid") if areas is not None else \
            Area.objects.none()
        self.fields["org"].queryset = orgs if orgs is not None else Org.objects.none()
        self.fields["audience_org"].queryset = orgs if orgs is not None else Org.objects.none()

    def tag_names(self) -> list[str]:
        text = self.cleaned_data.get("tags") or ""
        return [t.strip() for t in text.replace("，", ",").split(",") if t.strip()]


class PublishForm(forms.Form):
    at = forms.DateTimeField(label=_("Publish from"), required=False,
                             widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                             help_text=_("Leave empty to publish now."))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class AssignForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Organisation (with its branches)"), queryset=Org.objects.none())
    due_on = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    key = KeyField()

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs if orgs is not None else Org.objects.none()


class CategoryForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("of a thing", "Name"), max_length=60)
    code = forms.SlugField(label=_("Code"), max_length=40)
    parent = forms.ModelChoiceField(label=_("Parent"), queryset=Category.objects.none(), required=False)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=999, initial=0)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, category=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Category.objects.order_by("path")
        if category is not None:
            qs = qs.exclude(path__startswith=category.path)
        self.fields["parent"].queryset = qs
        self.category = category

    def clean_code(self):
        code = self.cleaned_data["code"]
        clash = Category.objects.filter(code=code)
        if self.category is not None:
            clash = clash.exclude(pk=self.category.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another category has this code."))
        return code
