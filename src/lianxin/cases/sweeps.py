"""Hazard sweeps (隐患排查, e.g. 嘉祥's 冬季安全风险排查): a named campaign with a checklist per kind of place;
grid workers and staff check places; each failed item becomes a hazard case (through the intake, so the
engine's loop rectifies it); found / rectified / open per sweep and area."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.core import clock
from lianxin.core.audit import actor_context
from lianxin.core.visibility import can, user_grants

from . import services
from .models import Category, HazardLevel, Stage, Sweep, SweepCheck

PLACE_KINDS = {
    "fire": gettext_lazy("Fire safety"),
    "heating": gettext_lazy("Heating"),
    "electricity": gettext_lazy("Electricity"),
    "road": gettext_lazy("Road safety"),
    "production": gettext_lazy("Production safety"),
}
# The category each kind's hazards are filed under.
CATEGORY_OF_KIND = {"fire": "0701", "heating": "0704", "electricity": "0703", "road": "0603", "production": "2002"}
WINTER_CHECKLIST = {
    "fire": ["消防通道畅通", "灭火器在有效期内", "无违规住人"],
    "heating": ["燃煤取暖有烟道", "一氧化碳报警器可用", "燃气管线无老化"],
    "electricity": ["无私拉乱接电线", "电动车不在楼道充电", "取暖电器远离可燃物"],
    "road": ["路面无结冰积雪", "警示标志齐全"],
    "production": ["安全责任制落实", "危险品存放规范"],
}


@transaction.atomic
def create_sweep(*, actor, name: str, area, starts_on, ends_on, checklist=None) -> Sweep:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the sweep a name."))
    if ends_on < starts_on:
        raise ValidationError(_("The sweep ends before it starts."))
    checklist = {k: [i for i in v if i] for k, v in (checklist or WINTER_CHECKLIST).items() if k in PLACE_KINDS}
    if not any(checklist.values()):
        raise ValidationError(_("A sweep needs a checklist."))
    with actor_context(actor):
        sweep = Sweep.objects.create(name=name[:120], area=area, starts_on=starts_on, ends_on=ends_on,
                                     checklist=checklist, created_by=actor)
        if actor is not None and not can(actor, sweep, "add"):
            raise PermissionDenied
    return sweep


@transaction.atomic
def record_check(sweep: Sweep, *, actor, area, place: str, place_kind: str, failed=(), level: str = "",
                 note: str = "", lng=None, lat=None) -> SweepCheck:
    """A place checked: each failed checklist item is filed as a hazard (general, or the level given)."""
    if not can(actor, sweep, "change"):
        raise PermissionDenied
    if place_kind not in sweep.checklist:
        raise ValidationError(_("This kind of place is not on the sweep's checklist."))
    items = sweep.checklist[place_kind]
    failed = [f for f in failed if f]
    if any(f not in items for f in failed):
        raise ValidationError(_("Only items of the checklist can fail."))
    place = (place or "").strip()
    if not place:
        raise ValidationError(_("Name the place checked."))
    if not area.path.startswith(sweep.area.path):
        raise ValidationError(_("The place lies outside the sweep's area."))
    if not actor.is_superuser and not any(g.area_id and area.path.startswith(g.area.path) for g in user_grants(actor)):
        raise ValidationError(_("You check places only in the areas you are responsible for."))
    today = clock.today()
    if not sweep.starts_on <= today <= sweep.ends_on:
        raise ValidationError(_("The sweep is not running today."))
    check = SweepCheck.objects.create(sweep=sweep, area=area, place=place[:120], place_kind=place_kind,
                                      failed=failed, checked_by=actor, checked_at=clock.now())
    category = Category.objects.get(full_code=CATEGORY_OF_KIND[place_kind])
    for item in failed:
        case = services.report(actor=actor, door="patrol", type="hazard", category=category,
                               title=f"{place}：{item}"[:120], description=(note or "").strip(), area=area,
                               lng=lng, lat=lat, source="patrol", hazard_level=level or HazardLevel.GENERAL).case
        check.hazards.add(case)
    return check


def figures(sweep: Sweep) -> dict:
    """found / rectified / open for the sweep, in total and per community (the area below the sweep's)."""
    rows = {}
    total = {"checks": 0, "found": 0, "rectified": 0, "open": 0}
    for check in sweep.checks.select_related("area", "area__parent").prefetch_related("hazards"):
        key = check.area.parent if check.area.kind == "grid" and check.area.parent_id else check.area
        row = rows.setdefault(key.pk, {"area": key, "checks": 0, "found": 0, "rectified": 0, "open": 0})
        for target in (row, total):
            target["checks"] += 1
        for case in check.hazards.all():
            fixed = case.stage == Stage.CLOSED and case.close_result == "fixed"
            for target in (row, total):
                target["found"] += 1
                target["rectified"] += fixed
                target["open"] += case.is_open
    return {"total": total, "areas": sorted(rows.values(), key=lambda r: r["area"].path)}
