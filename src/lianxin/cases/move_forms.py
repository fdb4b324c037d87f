"""One small form per move; the case page shows the forms of the moves this person may make now."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CloseResult, Urgency
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
