"""Briefings: drafted from the figures (frozen in the briefing), edited, issued.

The drafted sentences follow the house style of a county organisation department's 工作简报: 亮点 names the
figures that rose most against the last period and the best sub-area; 问题 names the figures that fell, rates
below the last period and cases overdue at the end; 下步打算 names the sub-areas at the bottom. Staff edit them
before issue; nothing is sent until signed off.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.core import clock
from lianxin.core.figures import RATES, shown

from .models import Briefing, BriefingStatus
from .periods import Period
from .table import change, collect, ranked

CN_NUMBERS = "一二三四五六七八九十"


def issuer_for(area) -> str:
    if area.kind in ("city", "county"):
        return f"中共{area.name}委组织部"
    return f"中共{area.name}委员会"


def recipients_for(area) -> str:
    return "报：上级党委组织部。送：本级党委、政府领导同志。发：各{}党组织。".format(
        {"city": "县（市、区）", "county": "镇（街道）", "town": "村（社区）"}.get(area.kind, "基层"))


def _count_figures(s: dict):
    return [(i, f) for i, f in enumerate(s["figures"]) if f["unit"] not in RATES]


def section_sentence(s: dict, period_label: str) -> str:
    """"本月，全县案件上报120件，环比增长12.5%……": each figure of the section with its change."""
    parts = []
    for i, f in enumerate(s["figures"]):
        now, before = s["total"][i], s["previous"][i]
        if now is None:
            continue
        text = f"{f['label']}{shown(now, f['unit'])}"
        delta = change(now, before, f["unit"])
        if delta is not None and before not in (None, 0) and f["unit"] not in RATES:
            pct = round(delta * 100 / before, 1)
            text += f"（环比{'增长' if pct >= 0 else '下降'}{abs(pct)}%）"
        elif delta is not None and f["unit"] in RATES:
            text += f"（环比{'提高' if delta >= 0 else '下降'}{abs(delta)}个百分点）"
        parts.append(text)
    return f"{period_label}，{s['label']}：" + "，".join(parts) + "。" if parts else ""


def top_bottom(s: dict) -> tuple[str, list, list] | None:
    """(figure label, top three, bottom three) of the section's first count figure with sub-area values."""
    for _i, f in _count_figures(s):
        order = ranked(s, f["key"])
        if len(order) >= 2:
            n = min(3, len(order) // 2 or 1)
            return f["label"], order[:n], order[-n:][::-1]
    return None


def draft_texts(snapshot: dict) -> dict:
    period = snapshot["period"]["label_zh"]
    highlights, problems, plans = [], [], []
    for s in snapshot["sets"]:
        rises, falls = [], []
        for i, f in enumerate(s["figures"]):
            now, before = s["total"][i], s["previous"][i]
            delta = change(now, before, f["unit"])
            if delta is None or delta == 0:
                continue
            (rises if delta > 0 else falls).append((f, now, delta))
        if rises:
            f, now, delta = max(rises, key=lambda r: r[2] if r[0]["unit"] in RATES else r[2] / max(abs(r[1]), 1))
            unit = "个百分点" if f["unit"] in RATES else ""
            highlights.append(f"{s['label']}工作有序推进，{f['label']}达到{shown(now, f['unit'])}，"
                              f"较上期增加{abs(delta)}{unit}。")
        ranking = top_bottom(s)
        if ranking:
            label, top, bottom = ranking
            highlights.append(f"{label}位居前列的是{'、'.join(name for name, _v in top)}。")
            plans.append(f"对{s['label']}中{label}排名靠后的{'、'.join(name for name, _v in bottom)}，"
                         "加强督促指导，逐项压实责任。")
        for f, _now, delta in falls:
            if f["key"] == "overdue_at_end":
                continue
            unit = "个百分点" if f["unit"] in RATES else ""
            problems.append(f"{s['label']}{f['label']}较上期减少{abs(delta)}{unit}，需分析原因、补齐短板。")
        keys = [f["key"] for f in s["figures"]]
        if "overdue_at_end" in keys:
            overdue = s["total"][keys.index("overdue_at_end")]
            if overdue:
                problems.append(f"期末仍有{overdue}件案件超期未结，需跟踪督办、限时办结。")
    if not problems:
        problems.append(f"{period}各项工作总体平稳，个别指标增长乏力，工作的均衡性仍需提高。")
    plans.append("下一步，将坚持以党建为引领，定期通报工作进展，推动各项工作提质增效。")
    return {"highlights": "\n".join(highlights), "problems": "\n".join(problems), "next_steps": "\n".join(plans)}


@transaction.atomic
def draft(*, actor, area, period: Period, sections: list[str], automatic: bool = False) -> Briefing:
    """A draft briefing: the figures of ``sections`` frozen now, in Chinese (a briefing's language)."""
    if not sections:
        raise ValidationError(_("Choose at least one section."))
    with translation.override("zh-hans"):
        snapshot = collect(actor, area, period, apps=sections)
    texts = draft_texts(snapshot)
    return Briefing.objects.create(
        area=area, period_kind=period.kind, start=period.start, end=period.end, title="工作简报",
        issuer=issuer_for(area), recipients=recipients_for(area), sections=sections, snapshot=snapshot,
        created_by=actor, created_at=clock.now(), automatic=automatic, **texts)


FIELDS = ("title", "issuer", "recipients", "highlights", "problems", "next_steps")


@transaction.atomic
def edit(briefing: Briefing, *, actor, **values) -> Briefing:
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    if briefing.issued:
        raise ValidationError(_("An issued briefing cannot be changed."))
    for field, value in values.items():
        if field in FIELDS:
            setattr(briefing, field, value)
    briefing.save()
    return briefing


@transaction.atomic
def issue(briefing: Briefing, *, actor) -> Briefing:
    """Sign the briefing off (签发): the next issue number of its area and year; its figures stay as drafted."""
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    if briefing.issued:
        return briefing
    now = clock.now()
    year = clock.today().year
    last = Briefing.objects.filter(area=briefing.area, year=year).aggregate(n=Max("number"))["n"] or 0
    briefing.status, briefing.year, briefing.number = BriefingStatus.ISSUED, year, last + 1
    briefing.issued_by, briefing.issued_at = actor, now
    briefing.save()
    return briefing


def sections_of(briefing: Briefing) -> list[dict]:
    """The document's sections: heading, sentence, figure rows, ranking, as documents write them."""
    snap = briefing.snapshot
    out = []
    for n, s in enumerate(snap["sets"]):
        rows = []
        for i, f in enumerate(s["figures"]):
            now, before, last_year = s["total"][i], s["previous"][i], s["year_before"][i]
            d1, d2 = change(now, before, f["unit"]), change(now, last_year, f["unit"])
            rows.append({"label": f["label"], "now": shown(now, f["unit"]), "previous": shown(before, f["unit"]),
                         "vs_previous": "—" if d1 is None else f"{d1:+}", "year_before": shown(last_year, f["unit"]),
                         "vs_year_before": "—" if d2 is None else f"{d2:+}", "value": now})
        ranking = top_bottom(s)
        out.append({"app": s["app"], "heading": f"{CN_NUMBERS[n] if n < 10 else n + 1}、{s['label']}",
                    "sentence": section_sentence(s, snap["period"]["label_zh"]), "rows": rows,
                    "ranking": ranking,
                    "has_chart": any(f["unit"] not in RATES for f in s["figures"])})
    return out


# ---------------------------------------------------------------------------- the monthly briefing


def is_subscribed(user, area) -> bool:
    """Whether the user receives ``area``'s monthly briefing (their own subscription rows, so no scoping)."""
    from .models import Subscription

    return Subscription.objects.filter(user=user, area=area).exists()


def fresh(briefing: Briefing) -> Briefing:
    """A fresh copy of an already-scoped briefing, so a failed form leaves the caller's instance untouched."""
    return Briefing.objects.get(pk=briefing.pk)


@transaction.atomic
def subscribe(*, user, area, on: bool = True) -> bool:
    """Receive (``on``) or stop receiving the monthly briefing of ``area``; whether the user now receives it."""
    from .models import Subscription

    if on:
        Subscription.objects.get_or_create(user=user, area=area)
    else:
        Subscription.objects.filter(user=user, area=area).delete()
    return on


def monthly(today=None) -> list[Briefing]:
    """Draft last month's briefing of every subscribed area that has no automatic one yet, with every module's
    figures as its first subscriber who may see the area sees them, and tell each subscriber who may see it.
    Idempotent: run daily by the worker, it drafts each month's once."""
    from django.urls import reverse

    from lianxin.core.modules import figure_sets
    from lianxin.core.notify import Message, notify
    from lianxin.core.visibility import can

    from .models import Subscription

    today = today or clock.today()
    period = Period.containing("month", today.replace(day=1) - timedelta(days=1))
    done = []
    by_area: dict[int, list] = {}
    for sub in Subscription.objects.select_related("area", "user").order_by("created_at", "pk"):
        by_area.setdefault(sub.area_id, []).append(sub)
    for subs in by_area.values():
        area = subs[0].area
        if Briefing.objects.filter(area=area, automatic=True, start=period.start, end=period.end).exists():
            continue
        readers = [s.user for s in subs if s.user.is_active and can(s.user, area, "view")]
        if not readers:
            continue
        with transaction.atomic():
            b = draft(actor=readers[0], area=area, period=period, sections=[fs.app for fs in figure_sets()],
                      automatic=True)
            b.created_by = None
            b.save(update_fields=["created_by"])
            notify([u for u in readers if can(u, b, "view")], kind="briefing",
                   title=Message(gettext_lazy("Work briefing of %(area)s for %(period)s (to be signed)"),
                                 area=area.name, period=period.label()),
                   body=gettext_lazy("This month's briefing was drafted from last month's figures; please check "
                                     "the text, then sign it."),
                   link=reverse("reports:briefing", args=[b.pk]))
        done.append(b)
    return done
