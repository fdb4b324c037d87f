"""Administrators edit the calendar; deadlines already running keep the dates they were given."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lianxin.core.audit import actor_context

from .models import CalendarDay, DayKind


@transaction.atomic
def set_day(*, actor, date, kind: str, name: str = "") -> CalendarDay:
    if kind not in DayKind.values:
        raise ValidationError(_("Choose a holiday or a make-up working day."))
    if kind == DayKind.WORKDAY and date.weekday() < 5:
        raise ValidationError(_("A make-up working day falls on a Saturday or Sunday."))
    try:
        with actor_context(actor), transaction.atomic():
            day, _created = CalendarDay.objects.update_or_create(
                date=date, defaults={"kind": kind, "name": name.strip(), "provisional": False})
    except IntegrityError as e:
        raise ValidationError(_("This date is already in the calendar.")) from e
    return day


@transaction.atomic
def remove_day(day: CalendarDay, *, actor) -> None:
    with actor_context(actor):
        day.delete()
