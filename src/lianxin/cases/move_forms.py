"""One small form per move, and the service call its cleaned data makes.

The case page shows the forms of the moves this person may make now; the REST API validates a move's body
with the same form and performs it the same way (``move_form``, ``perform_move``).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lianxin.core.uploads import store_upload

from . import flow, services, targets
from .models import Case, CloseResult, Urgency
from .types import Move


def note(required=False, label=None):
    return forms.CharField(label=label or _("Note"), required=required, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class MoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AcceptForm(MoveForm):
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, required=False)
    note = note()


class ReasonForm(MoveForm):
    note = note(required=True, label=_("Reason"))


class NoteForm(MoveForm):
    note = note()


class DispatchForm(MoveForm):
    lead = forms.ChoiceField(label=_("Lead handler"))
    co = forms.MultipleChoiceField(label=_("Co-handlers"), required=False,
                                   widget=forms.CheckboxSelectMultiple(attrs={"class": "checks"}))
    note = note()

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = [("", "—"), *targets]
        self.fields["co"].choices = list(targets)


class RedispatchForm(DispatchForm):
    pass


class FeedbackForm(MoveForm):
    note = note(required=True, label=_("What was done"))
    photos = forms.FileField(label=_("“After” photos"), required=False,
                             widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}))


class ProgressForm(FeedbackForm):
    note = note(required=True, label=_("Progress"))


class VerifyForm(MoveForm):
    passed = forms.TypedChoiceField(label=_("Result"), coerce=lambda v: v == "1",
                                    choices=[("1", _("Fixed: close the case")), ("0", _("Not fixed: rework"))])
    note = note()


class RateForm(MoveForm):
    stars = forms.TypedChoiceField(label=_("Your rating"), coerce=int,
                                   choices=[(5, "★★★★★"), (4, "★★★★"), (3, "★★★"), (2, "★★"), (1, "★")])
    note = note()


class RevisitForm(MoveForm):
    fixed = forms.TypedChoiceField(label=_("Does the reporter say it is fixed?"), coerce=lambda v: v == "1",
                                   choices=[("1", _("Yes")), ("0", _("No"))])
    note = note()


class ExtendRequestForm(MoveForm):
    work_days = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=60)
    note = note(required=True, label=_("Reason"))


class DecideForm(MoveForm):
    approve = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "1",
                                     choices=[("1", _("Approve")), ("0", _("Reject"))])
    note = note()


class MergeForm(MoveForm):
    into = forms.CharField(label=_("Number of the original case"), max_length=32)
    note = note()


class RecategorizeForm(MoveForm):
    category = forms.ChoiceField(label=_("Correct category"))
    note = note()

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.pk, str(c)) for c in categories]


class CloseWithoutFixForm(MoveForm):
    result = forms.ChoiceField(label=_("Why"), choices=[c for c in CloseResult.choices if c[0] != CloseResult.FIXED])
    note = note(required=True, label=_("Reason"))


FORMS = {
    Move.ACCEPT: AcceptForm, Move.REFUSE: ReasonForm, Move.DISPATCH: DispatchForm, Move.REDISPATCH: RedispatchForm,
    Move.HANDLER_ACCEPT: NoteForm, Move.RETURN: ReasonForm, Move.PROGRESS: ProgressForm,
    Move.FEEDBACK: FeedbackForm, Move.VERIFY: VerifyForm, Move.RATE: RateForm, Move.REVISIT: RevisitForm,
    Move.EXTEND_REQUEST: ExtendRequestForm, Move.EXTEND_DECIDE: DecideForm, Move.SUPERVISE: ReasonForm,
    Move.ESCALATE: ReasonForm, Move.PARK_REQUEST: ReasonForm, Move.PARK_DECIDE: DecideForm, Move.UNPARK: NoteForm,
    Move.VOID_REQUEST: ReasonForm, Move.VOID_DECIDE: DecideForm, Move.MERGE: MergeForm,
    Move.RECATEGORIZE: RecategorizeForm, Move.CLOSE_WITHOUT_FIX: CloseWithoutFixForm,
}

LABELS = {
    Move.ACCEPT: _("Accept"), Move.REFUSE: _("Do not accept"), Move.DISPATCH: _("Dispatch"),
    Move.REDISPATCH: _("Pass on"), Move.HANDLER_ACCEPT: _("Take the case"), Move.RETURN: _("Return (wrong unit)"),
    Move.PROGRESS: _("Add progress"), Move.FEEDBACK: _("Report as handled"), Move.VERIFY: _("Verify"),
    Move.RATE: _("Rate"), Move.REVISIT: _("Return visit"), Move.EXTEND_REQUEST: _("Ask for more time"),
    Move.EXTEND_DECIDE: _("Decide the extension"), Move.SUPERVISE: _("Supervise"),
    Move.ESCALATE: _("Escalate"), Move.PARK_REQUEST: _("Ask to park"), Move.PARK_DECIDE: _("Decide parking"),
    Move.UNPARK: _("Resume"), Move.VOID_REQUEST: _("Ask to void"), Move.VOID_DECIDE: _("Decide voiding"),
    Move.MERGE: _("Merge as duplicate"), Move.RECATEGORIZE: _("Correct the category"),
    Move.CLOSE_WITHOUT_FIX: _("Close without fix"),
}

# The timeline's words for every event kind: the moves plus what is not a move.
EVENT_LABELS = {**dict(flow.kind_choices()), **LABELS, "report": _("Reported"), "alert": _("Deadline alert"),
                "edit": _("Edited by the reporter"), "withdraw": _("Withdrawn by the reporter")}


def move_form(case, move, user, data=None, files=None):
    cls = FORMS[move]
    kwargs = {}
    if move in (Move.DISPATCH, Move.REDISPATCH):
        person = gettext("person")
        kwargs["targets"] = [(f"u{u.pk}", f"{u.display_name} ({person})") for u in targets.dispatch_people(case)] \
            + [(f"o{o.pk}", f"{o.name}") for o in targets.dispatch_units(case)]
    if move == Move.RECATEGORIZE:
        kwargs["categories"] = targets.categories_for(case.type)
    initial = {"version": case.version}
    if move == Move.DISPATCH:
        unit = targets.suggested_unit(case)
        if unit:
            initial["lead"] = f"o{unit.pk}"
    return cls(data, files, initial=initial, prefix=move, **kwargs)


def perform_move(move, case, user, d, files):
    v = d["version"]
    note = d.get("note", "")
    photos = [store_upload(f, owner=user, area=case.area) for f in files.getlist(f"{move}-photos")] if files else []
    if move == Move.ACCEPT:
        return services.accept(case, actor=user, version=v, note=note, urgency=d.get("urgency") or None)
    if move == Move.REFUSE:
        return services.refuse(case, actor=user, reason=note, version=v)
    if move in (Move.DISPATCH, Move.REDISPATCH):
        lead = targets.resolve_target(case, d["lead"])
        if lead is None:
            raise ValidationError(gettext("Choose who handles the case."))
        if move == Move.REDISPATCH:
            return services.redispatch(case, actor=user, to=lead, version=v, note=note)
        co = [t for t in (targets.resolve_target(case, x) for x in d.get("co", [])) if t is not None and t != lead]
        return services.dispatch(case, actor=user, lead=lead, co_handlers=co, version=v, note=note)
    simple = {
        Move.HANDLER_ACCEPT: lambda: services.handler_accept(case, actor=user, version=v, note=note),
        Move.RETURN: lambda: services.return_case(case, actor=user, reason=note, version=v),
        Move.PROGRESS: lambda: services.progress(case, actor=user, note=note, photos=photos, version=v),
        Move.FEEDBACK: lambda: services.feedback(case, actor=user, note=note, photos=photos, version=v),
        Move.VERIFY: lambda: services.verify(case, actor=user, passed=d["passed"], note=note, version=v),
        Move.RATE: lambda: services.rate(case, actor=user, stars=d["stars"], note=note, version=v),
        Move.REVISIT: lambda: services.revisit(case, actor=user, fixed=d["fixed"], note=note, version=v),
        Move.EXTEND_REQUEST: lambda: services.request_extension(case, actor=user, work_days=d["work_days"],
                                                                reason=note, version=v),
        Move.EXTEND_DECIDE: lambda: services.decide_extension(case, actor=user, approve=d["approve"], note=note,
                                                              version=v),
        Move.SUPERVISE: lambda: services.supervise(case, actor=user, note=note, version=v),
        Move.ESCALATE: lambda: services.escalate(case, actor=user, reason=note, version=v),
        Move.PARK_REQUEST: lambda: services.request_park(case, actor=user, reason=note, version=v),
        Move.PARK_DECIDE: lambda: services.decide_park(case, actor=user, approve=d["approve"], note=note, version=v),
        Move.UNPARK: lambda: services.unpark(case, actor=user, note=note, version=v),
        Move.VOID_REQUEST: lambda: services.request_void(case, actor=user, reason=note, version=v),
        Move.VOID_DECIDE: lambda: services.decide_void(case, actor=user, approve=d["approve"], note=note, version=v),
        Move.CLOSE_WITHOUT_FIX: lambda: services.close_without_fix(case, actor=user, result=d["result"], reason=note,
                                                                   version=v),
    }
    if move in simple:
        return simple[move]()
    if move == Move.MERGE:
        original = Case.objects.visible_to(user).filter(number=d["into"].strip()).first()
        if original is None:
            raise ValidationError(gettext("No case with that number is visible to you."))
        return services.merge(case, into=original, actor=user, version=v, note=note)
    if move == Move.RECATEGORIZE:
        category = next((c for c in targets.categories_for(case.type) if str(c.pk) == d["category"]), None)
        if category is None:
            raise ValidationError(gettext("Choose a sub-category."))
        return services.recategorize(case, actor=user, category=category, version=v, note=note)
    raise Http404
