"""The duty engine's read API: the plans, obligations and logs of a subject or a set of subjects, and their
compliance. Modules read the duty tables through these instead of filtering by subject type and id.

``subjects`` is one subject, an iterable of subjects, a queryset of subjects (a subquery) or a model class
(every subject of that model): each call is one query however many subjects there are. ``qs`` narrows a given
queryset instead of the whole table, e.g. ``Obligation.objects.visible_to(user)``.
"""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import DutyLog, Obligation, Plan
from .services import compliance, filter_obligations
from .subjects import DutySubject, Subjects, row_subject_key, subject_q


def plans_of(subjects: Subjects, *, kind: str | None = None, qs: models.QuerySet | None = None) -> models.QuerySet:
    """Plans (running or not) of the subjects, optionally of one kind."""
    qs = (Plan.objects.all() if qs is None else qs).filter(subject_q(subjects))
    return qs if kind is None else qs.filter(kind=kind)


def obligations_of(subjects: Subjects, *, kind: str | None = None,
                   qs: models.QuerySet | None = None) -> models.QuerySet:
    """Obligations of the subjects' plans, optionally of plans of one kind."""
    qs = (Obligation.objects.all() if qs is None else qs).filter(subject_q(subjects, "plan__"))
    return filter_obligations(qs, kind=kind)


def logs_of(subjects: Subjects, *, kind: str | None = None, qs: models.QuerySet | None = None) -> models.QuerySet:
    """Logs of the subjects, optionally of one kind (the log's own kind: a visit log is not listed as a
    contact even though it fulfils one)."""
    qs = (DutyLog.objects.all() if qs is None else qs).filter(subject_q(subjects))
    return qs if kind is None else qs.filter(kind=kind)


def compliance_of(subjects: Subjects, *, kind: str | None = None, qs: models.QuerySet | None = None,
                  **filters) -> dict:
    """``services.compliance`` over the subjects' obligations (``filters``: area, owner, start, end, now)."""
    return compliance(obligations_of(subjects, qs=qs), kind=kind, **filters)


def subjects_of(rows: Iterable, subjects: models.QuerySet) -> dict:
    """The subjects of loaded plans, obligations (with their plan) or logs, from ``subjects`` (e.g. the visible
    retirees, with what the page needs selected): {row pk: subject}, in one query. Rows whose subject is not
    in ``subjects`` are left out."""
    type_id = ContentType.objects.get_for_model(subjects.model).pk
    keys = {row.pk: row_subject_key(row) for row in rows}
    found: dict[object, DutySubject] = subjects.in_bulk({pk for t, pk in keys.values() if t == type_id})
    return {row_pk: found[pk] for row_pk, (t, pk) in keys.items() if t == type_id and pk in found}
