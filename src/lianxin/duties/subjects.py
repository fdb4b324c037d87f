"""What the duty engine needs of a subject (the retiree, firm or registration a duty is owed to), and how rows
of the duty tables are matched to subjects.

The duty tables point at their subject through a generic relation (``subject_type``, ``subject_id``); only the
engine reads those columns. Modules pass subjects to ``queries`` (and the services) instead.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeAlias

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from .models import Obligation

if TYPE_CHECKING:
    from lianxin.areas.models import Area


class DutySubject(Protocol):
    """A saved model instance that duties are owed to. Its ``area`` anchors the plans, and so who sees and owes
    them; ``name`` names it in reminders and messages.

    Not ``runtime_checkable``: on Python 3.11 such an isinstance check evaluates the properties (queries).
    """

    @property
    def pk(self) -> Any: ...

    @property
    def name(self) -> str: ...

    @property
    def area(self) -> "Area | None": ...

    @property
    def area_id(self) -> int | None: ...


class SubjectVia:
    """``name``, ``area`` and ``area_id`` of a subject whose name and area are those of a related record (its
    Person or Org), declared in one line on the model: ``subject_via = "person"``.

    The permission matrix reads ``area`` too, so these are the model's area wherever it is asked for.
    """

    subject_via: ClassVar[str]

    @property
    def name(self) -> str:
        return getattr(self, self.subject_via).name

    @property
    def area(self) -> "Area | None":
        return getattr(self, self.subject_via).area

    @property
    def area_id(self) -> int | None:
        return getattr(self, self.subject_via).area_id


# One subject, several (of one or more models), a queryset of subjects, or a model (all its subjects).
Subjects: TypeAlias = "DutySubject | Iterable[DutySubject] | models.QuerySet | type[models.Model]"


def subject_key(subject: DutySubject) -> tuple[int, Any]:
    """(content type id, pk) of a subject, as the duty tables store it."""
    return ContentType.objects.get_for_model(subject).pk, subject.pk


def subject_q(subjects: Subjects, prefix: str = "") -> Q:
    """A filter for plans or logs (``prefix="plan__"`` for obligations) whose subject is among ``subjects``.

    A queryset becomes a subquery (nothing is fetched); a model class means every subject of that model; an
    empty iterable matches nothing.
    """
    type_f, id_f = f"{prefix}subject_type_id", f"{prefix}subject_id"
    if isinstance(subjects, type) and issubclass(subjects, models.Model):
        return Q(**{type_f: ContentType.objects.get_for_model(subjects).pk})
    if isinstance(subjects, models.QuerySet):
        return Q(**{type_f: ContentType.objects.get_for_model(subjects.model).pk,
                    f"{id_f}__in": subjects.values("pk")})
    if isinstance(subjects, models.Model):
        type_id, pk = subject_key(subjects)
        return Q(**{type_f: type_id, id_f: pk})
    by_type: dict[int, set] = defaultdict(set)
    for subject in subjects:
        type_id, pk = subject_key(subject)
        by_type[type_id].add(pk)
    q = Q(pk__in=[])
    for type_id, pks in sorted(by_type.items()):
        q |= Q(**{type_f: type_id, f"{id_f}__in": sorted(pks)})
    return q


def row_subject_key(row) -> tuple[int, Any]:
    """(content type id, pk) of the subject of a plan, a log, or an obligation (load its plan with it)."""
    holder = row.plan if isinstance(row, Obligation) else row
    return holder.subject_type_id, holder.subject_id
