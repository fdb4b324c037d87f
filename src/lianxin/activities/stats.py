"""Activity figures for dashboards and reports (``FigureSet``), computed from the records: for each area, over
the activities ``user`` may view anchored in the area's subtree, held between ``start`` and ``end`` (local days,
both included): activities by kind, participants (distinct persons present) and person-times (one per person
and activity), activities that took the month's theme, trainings and trainees, and the branches' routine
meetings held against due (the duty engine's compliance over the periods that closed in the span)."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from lianxin.core.figures import Figure, FigureSet, Unit
from lianxin.core.trees import subtree_q
from lianxin.duties.models import Obligation
from lianxin.workdays.calendar import tz

from . import compliance
from .kinds import KINDS
from .models import Activity, Participant, Participation, Status


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (datetime.combine(start, time.min, tzinfo=tz()),
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz()))


def held(user, start: date, end: date):
    lo, hi = bounds(start, end)
    return Activity.objects.visible_to(user).filter(status=Status.HELD, starts_at__gte=lo, starts_at__lt=hi)


def figures(user, areas, start: date, end: date) -> dict:
    activities = held(user, start, end)
    obligations = Obligation.objects.visible_to(user)
    training_kinds = [k.code for k in KINDS.values() if k.training]
    out = {}
    for area in areas:
        mine = activities.filter(subtree_q("area__path", area.path))
        row = mine.aggregate(total=Count("pk"), themed=Count("pk", filter=Q(theme__isnull=False)),
                             **{f"kind_{code}": Count("pk", filter=Q(kind=code)) for code in KINDS})
        present = Participant.objects.filter(activity__in=mine.values("pk"), status=Participation.ATTENDED)
        trained = present.filter(activity__kind__in=training_kinds)
        due = compliance.held_vs_due(area, start, end, qs=obligations)
        out[area.pk] = {
            "activities": row["total"], **{f"kind_{c}": row[f"kind_{c}"] for c in KINDS},
            "themed": row["themed"],
            "participants": present.values("person_id").distinct().count(),
            "person_times": present.count(),
            "meetings_due": due["due"], "meetings_held": due["fulfilled"], "meetings_rate": due["rate"],
            "trainings": row["kind_training"],
            "trainees": trained.values("person_id").distinct().count(),
        }
    return out


FIGURES = FigureSet("activities", _("Meetings and activities"), compute=figures, figures=(
    Figure("activities", _("Activities held")),
    *(Figure(f"kind_{code}", kind.label) for code, kind in KINDS.items()),
    Figure("themed", _("Activities on the month's theme")),
    Figure("participants", _("Participants"), Unit.PEOPLE),
    Figure("person_times", _("Participant person-times"), Unit.PERSON_TIMES),
    Figure("meetings_due", _("Branch meetings due")),
    Figure("meetings_held", _("Branch meetings held in their period")),
    Figure("meetings_rate", _("Branch meetings held / due"), Unit.RATE),
    Figure("trainings", _("Trainings")),
    Figure("trainees", _("Trainees"), Unit.PEOPLE),
))
