"""Senior college figures: venues, courses, classes, enrolments, lecturers, lessons held and learner
person-times (attendance of the lessons' activities) per area subtree; lessons and attendance in the period."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from lianxin.activities.models import Participant, Participation, Status
from lianxin.activities.stats import bounds
from lianxin.core.figures import Figure, FigureSet, Unit
from lianxin.core.trees import subtree_q

from .models import Campus, Course, Enrolment, EnrolmentStatus, Klass, Lecturer, Lesson


def figures(user, areas, start: date, end: date) -> dict:
    lo, hi = bounds(start, end)
    campuses, courses = Campus.objects.visible_to(user), Course.objects.visible_to(user)
    classes, lecturers = Klass.objects.visible_to(user), Lecturer.objects.visible_to(user)
    out = {}
    for area in areas:
        mine = classes.filter(subtree_q("area__path", area.path))
        lessons = Lesson.objects.filter(klass__in=mine.values("pk"), activity__status=Status.HELD,
                                        activity__starts_at__gte=lo, activity__starts_at__lt=hi)
        out[area.pk] = {
            "venues": campuses.filter(subtree_q("area__path", area.path)).count(),
            "courses": courses.filter(subtree_q("area__path", area.path)).count(),
            "classes": mine.count(),
            "enrolments": Enrolment.objects.filter(klass__in=mine.values("pk"),
                                                   status=EnrolmentStatus.ENROLLED).count(),
            "lecturers": lecturers.filter(subtree_q("area__path", area.path)).count(),
            "lessons": lessons.count(),
            "learner_times": Participant.objects.filter(activity__lesson__in=lessons.values("pk"),
                                                        status=Participation.ATTENDED).count(),
        }
    return out


FIGURES = FigureSet("colleges", _("Senior colleges"), compute=figures, figures=(
    Figure("venues", _("Campuses and venues")),
    Figure("courses", _("Courses")),
    Figure("classes", _("Classes")),
    Figure("enrolments", _("Enrolled students"), Unit.PEOPLE),
    Figure("lecturers", _("Lecturers"), Unit.PEOPLE),
    Figure("lessons", _("Lessons held")),
    Figure("learner_times", _("Learner person-times"), Unit.PERSON_TIMES),
))
