"""A retried create form never duplicates: a double-tap or a browser retry of a POST answers with what the first
submission created.

A create form carries a hidden ``key = KeyField()``: a fresh random token when the form is shown, kept when the
form comes back with errors. The view wraps its create in ``once``::

    obj, created = resubmit.once(request, form.cleaned_data["key"], create)

``once`` returns the object this user already created with this key (and tells the user so), or calls
``create()`` and records the key. The record is the user's own row (``FormSubmission``, unique per user and key),
never a shared one: no scope applies to it. An empty key (an old client) simply creates.
"""

import secrets

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

KEY_LENGTH = 64


def new_key() -> str:
    """A fresh client key: 43 URL-safe characters."""
    return secrets.token_urlsafe(32)


class KeyField(forms.CharField):
    """The hidden key of a create form: minted each time the unbound form is shown, echoed back by the browser.

    Never invalid (an absent or odd key must not block the form: its error would be hidden); longer keys are cut."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", new_key)  # a callable: a new token per rendered form
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(value)[:KEY_LENGTH]


def already_submitted(request) -> None:
    """The answer to a replayed submission (also used by forms whose service keeps its own key)."""
    messages.info(request, _("This form was already submitted; here is what it created."))


def _recorded(user, key: str):
    """The user's record for ``key`` and the object it points to (None if the object is gone)."""
    from .models import FormSubmission

    record = FormSubmission.objects.filter(user=user, key=key).select_related("content_type").first()
    return record, (record.content_object if record is not None else None)


def once(request, key: str | None, create):
    """``(obj, created)``: the object this user already created with ``key``, or ``create()``'s new one.

    Runs in a savepoint of the caller's transaction: if ``create()`` fails, neither it nor the key is kept. Two
    concurrent submissions with one key meet on the unique (user, key) constraint; the later one is rolled back
    and answers with the first one's object. A replay adds the info message (``already_submitted``)."""
    from .models import FormSubmission

    key = (key or "").strip()[:KEY_LENGTH]
    user = request.user
    if not key or not getattr(user, "is_authenticated", False):
        return create(), True
    record, done = _recorded(user, key)
    if done is not None:
        already_submitted(request)
        return done, False
    try:
        with transaction.atomic():
            if record is not None:  # what the key created was deleted since: the key is free again
                record.delete()
            obj = create()
            FormSubmission.objects.create(user=user, key=key, content_type=ContentType.objects.get_for_model(obj),
                                          object_id=str(obj.pk))
    except IntegrityError:
        record, done = _recorded(user, key)
        if done is None:
            raise
        already_submitted(request)
        return done, False
    return obj, True
