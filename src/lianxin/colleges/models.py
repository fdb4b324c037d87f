"""Senior colleges (老年大学): campuses and venues, courses, classes with a timetable and seats, the lecturer pool,
enrolments (returning students first, then a lottery, a waitlist promoted automatically, late enrolment, 代报),
and lessons, each an activity (``activities``) whose list is the class's students, so attendance is the
activities' sign-in."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core.visibility import ScopedModel


class CampusKind(models.TextChoices):
    CENTRE = "centre", _("Service centre")
    BRANCH = "branch", _("Branch campus")
    DOORSTEP = "doorstep", _("Doorstep college (家门口老年大学)")
    SHARED = "shared", _("Shared venue")


class Campus(ScopedModel):
    scope_area = "area__path"

    kind = models.CharField(_("kind"), max_length=10, choices=CampusKind.choices)
    name = models.CharField(_("name"), max_length=100)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), default=30)
    hours = models.CharField(_("opening hours"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("campus or venue")
        verbose_name_plural = _("campuses and venues")
        ordering = ["area__path", "name", "pk"]

    def __str__(self):
        return self.name


class Lecturer(ScopedModel):
    """One of the lecturer pool (retired cadres among them): a person, anchored in the area they teach in."""

    scope_area = "area__path"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("person"))
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    speciality = models.CharField(_("speciality"), max_length=60)
    retired_cadre = models.BooleanField(_("retired cadre"), default=False)

    class Meta:
        verbose_name = _("lecturer")
        verbose_name_plural = _("lecturers")
        ordering = ["area__path", "pk"]
        constraints = [models.UniqueConstraint(fields=["person", "area"], name="colleges_lecturer_once")]

    def __str__(self):
        return self.person.name

    @property
    def name(self):
        return self.person.name


class Course(ScopedModel):
    scope_area = "area__path"

    name = models.CharField(_("name"), max_length=60)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["area__path", "name", "pk"]

    def __str__(self):
        return self.name


class Klass(ScopedModel):
    """A class of a course in a term at a campus: seats, timetable, lecturer, eligibility and the enrolment
    windows (returning students until ``returning_until``; the lottery once drawn; late enrolment after)."""

    scope_area = "area__path"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="classes", verbose_name=_("course"))
    campus = models.ForeignKey(Campus, on_delete=models.PROTECT, related_name="classes", verbose_name=_("campus"))
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    term = models.CharField(_("term"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    lecturer = models.ForeignKey(Lecturer, on_delete=models.SET_NULL, null=True, blank=True, related_name="classes",
                                 verbose_name=_("lecturer"))
    seats = models.PositiveIntegerField(_("seats"))
    timetable = models.CharField(_("timetable"), max_length=100, blank=True)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    needs_consent = models.BooleanField(_("family consent required"), default=False)
    returning_until = models.DateTimeField(_("returning students until"), null=True, blank=True)
    lottery_seed = models.CharField(_("lottery seed"), max_length=64, blank=True)
    drawn_at = models.DateTimeField(_("lottery drawn at"), null=True, blank=True)
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("previous term's class"))

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["area__path", "term", "name", "pk"]

    def __str__(self):
        return self.name


class EnrolmentStatus(models.TextChoices):
    APPLIED = "applied", _("Applied (awaiting the lottery)")
    ENROLLED = "enrolled", _("Enrolled")
    WAITLISTED = "waitlisted", _("Waitlisted")
    WITHDRAWN = "withdrawn", _("Withdrew")


class Enrolment(models.Model):
    klass = models.ForeignKey(Klass, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("student"))
    status = models.CharField(_("status"), max_length=12, choices=EnrolmentStatus.choices)
    returning = models.BooleanField(_("returning student"), default=False)
    consent = models.BooleanField(_("family consent"), default=False)
    rank = models.PositiveIntegerField(_("waitlist place"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+", verbose_name=_("entered by"))
    on_behalf = models.BooleanField(_("entered on the student's behalf (代报)"), default=False)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["applied_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["klass", "person"], name="colleges_enrolment_once")]

    def __str__(self):
        return f"{self.person} · {self.klass}"


class Lesson(models.Model):
    """One lesson of a class: an activity of kind "lesson" listing the class's students."""

    klass = models.ForeignKey(Klass, on_delete=models.CASCADE, related_name="lessons")
    activity = models.OneToOneField("activities.Activity", on_delete=models.PROTECT, related_name="lesson")
    lecturer = models.ForeignKey(Lecturer, on_delete=models.SET_NULL, null=True, blank=True, related_name="lessons")
    topic = models.CharField(_("topic"), max_length=120, blank=True)

    class Meta:
        ordering = ["activity__starts_at", "pk"]

    def __str__(self):
        return self.topic or str(self.activity)

