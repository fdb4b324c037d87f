"""The case list's filters: one django-filter FilterSet for the dispatch board, its Excel export, the case map
and ``GET /api/cases/``.

Each query parameter is declared once here: what it accepts and which cases it keeps. What a bad value does
is the caller's: the board and the map ignore the whole form and show the open cases, the export exports
everything visible, the API answers 400.
"""

from datetime import datetime, time, timedelta

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields

from lianxin.areas.models import Area
from lianxin.core.trees import subtree_q
from lianxin.orgs.models import Org
from lianxin.workdays.calendar import tz

from .deadlines import Colour, colour_expression, colour_q
from .models import OPEN_STAGES, Category, Source, Stage, Urgency
from .types import TYPES

ALL = _("All")
COLOURS = [
    (Colour.BLUE, _("Blue: on time")), (Colour.YELLOW, _("Yellow: deadline near")),
    (Colour.RED, _("Red: overdue")), (Colour.PARKED, _("Parked")),
    (Colour.CLOSED_ON_TIME, _("Closed on time")), (Colour.CLOSED_LATE, _("Closed late")),
]
MAP_COLOURS = [*COLOURS, (Colour.DONE, _("Ended"))]
TRUE = frozenset({"1", "true", "yes", "on"})  # "on" from the board's checkbox, the others from programs
Q_MAX = 60  # characters of the search text that are used


class FlagInput(forms.CheckboxInput):
    """A checkbox that also reads a program's flag: 1, true, yes and on are true, anything else false."""

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        return value is not None and str(value).lower() in TRUE


class FlagFilter(filters.BooleanFilter):
    field_class = forms.BooleanField  # true or false, never "unknown"


class CategoryClassField(filter_fields.ModelChoiceField):
    """A category class by its full code (what the select sends, and programs) or else by its id."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value)
        found = self.queryset.filter(full_code=value).first()
        if found is None and value.isascii() and value.isdigit() and len(value) < 12:
            found = self.queryset.filter(pk=int(value)).first()
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found


class CategoryClassFilter(filters.ModelChoiceFilter):
    field_class = CategoryClassField


class _ListedChoices(filter_fields.ModelChoiceIterator):
    def __init__(self, field):
        super().__init__(field)
        if field.listed is not None:
            self.queryset = field.listed


class ListedModelChoiceField(filter_fields.ModelChoiceField):
    """Accepts any row of ``queryset`` but offers only those of ``listed`` in the select."""

    iterator = _ListedChoices

    def __init__(self, *args, listed=None, **kwargs):
        self.listed = listed
        super().__init__(*args, **kwargs)


class ListedModelChoiceFilter(filters.ModelChoiceFilter):
    field_class = ListedModelChoiceField


class CaseFilter(filters.FilterSet):
    """The board's filters over ``queryset`` (already the user's visible cases), which gains the ``colour``
    annotation whether or not it is filtered on."""

    q = filters.CharFilter(label=_("Case number or title"), method="filter_q")
    stage = filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices, empty_label=ALL)
    type = filters.ChoiceFilter(label=_("Type"), empty_label=ALL)
    category = CategoryClassFilter(label=_("Category"), field_name="category__parent", empty_label=ALL,
                                   to_field_name="full_code", queryset=Category.objects.filter(parent__isnull=True))
    urgency = filters.ChoiceFilter(label=_("Urgency"), choices=Urgency.choices, empty_label=ALL)
    colour = filters.ChoiceFilter(label=_("Alert"), choices=COLOURS, empty_label=ALL, method="filter_colour")
    source = filters.ChoiceFilter(label=_("Source"), choices=Source.choices, empty_label=ALL)
    # Any visible area, grids included; the select lists those above the grids (a county has thousands).
    area = ListedModelChoiceFilter(label=_("Area"), method="filter_area", queryset=Area.objects.none())
    unit = filters.ModelChoiceFilter(label=_("Unit"), field_name="lead_org", queryset=Org.objects.none())
    open = FlagFilter(label=_("Open cases only"), method="filter_open", widget=FlagInput, initial=True)

    def __init__(self, data=None, queryset=None, *, user, now, **kwargs):
        self.now = now
        super().__init__(data, queryset.annotate(colour=colour_expression(now)), **kwargs)
        if "type" in self.filters:
            # Read when the form is made: modules register their case types when the apps are ready.
            self.filters["type"].extra["choices"] = [(t.code, t.label) for t in TYPES.values()]
        if "area" in self.filters:
            visible = Area.objects.visible_to(user)
            self.filters["area"].queryset = visible
            self.filters["area"].extra["listed"] = visible.exclude(kind="grid")
        if "unit" in self.filters:
            self.filters["unit"].queryset = Org.objects.visible_to(user)

    def open_cases(self):
        """The open cases of the queryset, unfiltered otherwise: what the board shows by default."""
        return self.filter_open(self.queryset, "open", True)

    def filter_q(self, qs, name, value):
        q = value.strip()[:Q_MAX].strip()
        return qs.filter(number=q) if q.isdigit() else qs.filter(title__icontains=q)

    def filter_colour(self, qs, name, value):
        return qs.filter(colour_q(value, self.now))

    def filter_area(self, qs, name, value):
        return qs.filter(subtree_q("area__path", value.path))

    def filter_open(self, qs, name, value):
        return qs.filter(stage__in=OPEN_STAGES) if value else qs


class MapForm(forms.Form):
    field_order = ["open", "stage", "colour", "category", "start", "end"]


class MapFilter(CaseFilter):
    """The map's filters: the board's open, stage, colour (with "ended") and category, plus the report dates.
    The map's area is chosen apart (stats_views.case_area)."""

    q = type = urgency = source = area = unit = None
    colour = filters.ChoiceFilter(label=_("Alert"), choices=MAP_COLOURS, empty_label=ALL, method="filter_colour")
    start = filters.DateFilter(label=_("Reported from"), method="filter_start",
                               widget=forms.DateInput(attrs={"type": "date"}))
    end = filters.DateFilter(label=_("Reported until"), method="filter_end",
                             widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        form = MapForm

    def filter_start(self, qs, name, value):
        return qs.filter(created_at__gte=datetime.combine(value, time.min, tzinfo=tz()))

    def filter_end(self, qs, name, value):  # the day itself included
        return qs.filter(created_at__lt=datetime.combine(value + timedelta(days=1), time.min, tzinfo=tz()))
