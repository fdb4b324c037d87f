"""Administrators' write path for categories and time limits (audited). Running deadlines never move:
cases keep the due dates fixed when their stage started."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.core.audit import actor_context

from .models import Category, LimitStage, LimitUnit, TimeLimit, Urgency

CATEGORY_FIELDS = ("name", "name_en", "acceptance_rule", "default_unit_kind", "duplicate_radius_m", "confidential",
                   "is_public", "is_active", "case_types")


@transaction.atomic
def update_category(category: Category, *, actor, **fields) -> Category:
    category = Category.objects.select_for_update().get(pk=category.pk)
    for key, value in fields.items():
        if key in CATEGORY_FIELDS:
            setattr(category, key, value)
    category.full_clean(exclude=["parent", "full_code"])
    with actor_context(actor):
        category.save()
    return category


def parse_amount(text) -> Decimal | None:
    text = (str(text) if text is not None else "").strip()
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation as e:
        raise ValidationError(_("“%(v)s” is not a number.") % {"v": text[:20]}) from e
    if amount <= 0 or amount > 10000:
        raise ValidationError(_("A limit is a positive number (at most 10000)."))
    return amount


@transaction.atomic
def set_limits(category: Category, *, actor, rows) -> int:
    """rows: (stage, urgency, amount or None, unit). None removes the limit. All or nothing."""
    changed = 0
    with actor_context(actor):
        for stage, urgency, amount, unit in rows:
            if stage not in LimitStage.values or urgency not in Urgency.values:
                raise ValidationError(_("Unknown stage or urgency."))
            if amount is not None and unit not in LimitUnit.values:
                raise ValidationError(_("Choose the unit of each limit."))
            current = TimeLimit.objects.filter(category=category, stage=stage, urgency=urgency, level="").first()
            if amount is None:
                if current:
                    current.delete()
                    changed += 1
                continue
            if current is None:
                TimeLimit.objects.create(category=category, stage=stage, urgency=urgency, amount=amount, unit=unit)
                changed += 1
            elif current.amount != amount or current.unit != unit:
                current.amount, current.unit = amount, unit
                current.save()
                changed += 1
    return changed
