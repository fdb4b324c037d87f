"""Shapes of the case API (also what the OpenAPI document describes)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField

from lianxin.cases.models import Case, Urgency


class BuiltOnce:
    """Output with the fields built once per class. DRF builds a serializer's fields again for every instance
    (a ModelSerializer introspects its model each time): for the answer to one report that cost more than
    writing the report. Method fields are called on the serializer at hand, so they see its context."""

    @classmethod
    def _output_fields(cls) -> list:
        fields = cls.__dict__.get("_built_fields")
        if fields is None:
            fields = cls._built_fields = [(n, f) for n, f in cls(context={}).fields.items() if not f.write_only]
        return fields

    def to_representation(self, instance):
        out = {}
        for name, field in self._output_fields():
            if isinstance(field, serializers.SerializerMethodField):
                out[name] = getattr(self, field.method_name)(instance)
                continue
            try:
                value = field.get_attribute(instance)
            except SkipField:
                continue
            out[name] = None if value is None else field.to_representation(value)
        return out


class CaseSerializer(BuiltOnce, serializers.ModelSerializer):
    category = serializers.CharField(source="category.full_code", read_only=True)
    category_name = serializers.CharField(source="category.__str__", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    lead_unit = serializers.SerializerMethodField()
    colour = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["id", "number", "type", "category", "category_name", "urgency", "source", "nature", "title",
                  "description", "area", "area_name", "level", "lng", "lat", "address", "stage", "close_result",
                  "parked", "colour", "due_at", "warn_at", "created_at", "closed_at", "lead_unit", "rating",
                  "version"]
        read_only_fields = fields

    def get_lead_unit(self, obj) -> str | None:
        return obj.lead_org.name if obj.lead_org_id else None

    def get_colour(self, obj) -> str:
        from lianxin.cases.deadlines import colour_of
        from lianxin.core import clock

        return getattr(obj, "colour", None) or colour_of(obj, clock.now())


class EventSerializer(BuiltOnce, serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    at = serializers.DateTimeField()
    from_stage = serializers.CharField()
    to_stage = serializers.CharField()
    note = serializers.CharField()
    actor = serializers.CharField(allow_null=True)


class CaseDetailSerializer(CaseSerializer):
    reporter = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    available_moves = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "reporter", "events", "available_moves"]
        read_only_fields = fields

    def get_reporter(self, obj) -> str | None:
        """The reporter's name; hidden from the handling units of confidential (whistle-blowing) cases."""
        if self.context.get("hide_reporter") or obj.reporter_id is None:
            return None
        return obj.reporter.display_name

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, obj):
        return EventSerializer(self.context.get("events", []), many=True).data

    def get_available_moves(self, obj) -> list[str]:
        return self.context.get("moves", [])


class CaseCreateSerializer(serializers.Serializer):
    category = serializers.CharField(help_text=_("Sub-category: its full code (e.g. 0102) or its id."))
    title = serializers.CharField(required=False, allow_blank=True, max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    lng = serializers.FloatField(required=False, allow_null=True)
    lat = serializers.FloatField(required=False, allow_null=True)
    area = serializers.IntegerField(required=False, allow_null=True, help_text=_("A grid or community id."))
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, default=Urgency.NORMAL)


class MoveSerializer(serializers.Serializer):
    """The fields of every move; each move reads the ones its web form has."""

    version = serializers.IntegerField(help_text=_("The case version the client last saw (409 if stale)."))
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    lead = serializers.CharField(required=False, help_text=_("dispatch/redispatch: o<org id> or u<user id>."))
    co = serializers.ListField(child=serializers.CharField(), required=False)
    passed = serializers.BooleanField(required=False)
    stars = serializers.IntegerField(required=False, min_value=1, max_value=5)
    fixed = serializers.BooleanField(required=False)
    work_days = serializers.IntegerField(required=False, min_value=1, max_value=60)
    approve = serializers.BooleanField(required=False)
    into = serializers.CharField(required=False, help_text=_("merge: the number of the original case."))
    category = serializers.CharField(required=False, help_text=_("recategorize: the sub-category id."))
    result = serializers.CharField(required=False, help_text=_("close_without_fix: not_remit, no_action, duplicate."))


class MoveResultSerializer(serializers.Serializer):
    case = CaseSerializer()
    event = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class StatsSerializer(serializers.Serializer):
    area = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    figures = serializers.DictField()
