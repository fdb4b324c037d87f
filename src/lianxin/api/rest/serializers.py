"""Shapes of the case API (also what the OpenAPI document describes)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField

from lianxin.cases.models import Case, CloseResult, HazardLevel, Nature, Urgency


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
    # Blank until set (a case that is no appeal has no nature; an open case no result): documented with "".
    nature = serializers.ChoiceField(choices=Nature.choices, allow_blank=True, read_only=True)
    close_result = serializers.ChoiceField(choices=CloseResult.choices, allow_blank=True, read_only=True)
    hazard_level = serializers.ChoiceField(choices=HazardLevel.choices, allow_blank=True, read_only=True)  # hazards

    class Meta:
        model = Case
        fields = ["id", "number", "type", "category", "category_name", "urgency", "source", "nature", "hazard_level",
                  "title", "description", "area", "area_name", "level", "lng", "lat", "address", "stage",
                  "close_result", "parked", "colour", "due_at", "warn_at", "created_at", "closed_at", "lead_unit",
                  "rating", "version"]
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


class KnownFieldsOnly:
    """A request body may hold only the fields the operation documents: anything else is refused with a 400
    naming it (a 5 MB field nobody reads is not stored, a misspelt one is not silently ignored)."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(str(k) for k in data.keys() if k not in self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {name[:60]: [_("This field is not part of the request.")] for name in unknown[:20]})
        return super().to_internal_value(data)


class CaseCreateSerializer(KnownFieldsOnly, serializers.Serializer):
    """A report through the REST door of the intake (cases.services.clean_report): the protocol's shape only;
    lengths and every rule are the intake's, one set for all doors (docs/CASES.md)."""

    type = serializers.ChoiceField(
        choices=[("event", _("Event")), ("appeal", _("Appeal")), ("hazard", _("Hazard"))], required=False,
        default="event", help_text=_("event: a problem to fix; appeal (诉求): a resident's or rider's request, with "
                                     "its nature; hazard (隐患): staff and grid workers only, with its level."))
    category = serializers.CharField(help_text=_("Sub-category: its full code (e.g. 0102) or its id. Events and "
                                                 "appeals: a public category offered for the type; hazards: any "
                                                 "active category used for hazards."))
    nature = serializers.ChoiceField(choices=Nature.choices, required=False, allow_blank=True,
                                     help_text=_("Appeals only, required: consult, help, complaint, whistleblow "
                                                 "(the reporter is hidden from handling units), suggestion, "
                                                 "thanks."))
    hazard_level = serializers.ChoiceField(choices=HazardLevel.choices, required=False, allow_blank=True,
                                           help_text=_("Hazards only: general (default) or major."))
    title = serializers.CharField(required=False, allow_blank=True,
                                  help_text=_("At most 120 characters; empty: the description's first line."))
    description = serializers.CharField(required=False, allow_blank=True,
                                        help_text=_("At most 2000 characters."))
    lng = serializers.FloatField(required=False, allow_null=True)
    lat = serializers.FloatField(required=False, allow_null=True)
    area = serializers.IntegerField(required=False, allow_null=True, help_text=_("A grid or community id."))
    address = serializers.CharField(required=False, allow_blank=True, help_text=_("At most 200 characters."))
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, default=Urgency.NORMAL)


class MoveSerializer(KnownFieldsOnly, serializers.Serializer):
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


class CasePageSerializer(serializers.Serializer):
    """One page of the case list (cursor pagination): follow ``next`` until it is null."""

    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CaseSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    """Every answer outside 2xx (api/rest/errors.py)."""

    detail = serializers.CharField(help_text="What went wrong, in the caller's language.")
    code = serializers.CharField(help_text="invalid, parse_error, not_authenticated, permission_denied, not_found, "
                                           "method_not_allowed, conflict, too_large, unsupported_media_type, "
                                           "throttled, server_error")
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   help_text="On a 400: each field's problems; otherwise empty.")
    field = serializers.CharField(required=False, help_text="For a refused report: the field at fault.")


class StatsSerializer(serializers.Serializer):
    area = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    figures = serializers.DictField()
