"""The reader's side, made for a phone: the library (categories, latest items), search, and the light reading
page (its own small stylesheet and script, no framework) with large-text and high-contrast modes kept in the
browser, and the reading beacon that records an effective read."""

from datetime import UTC, datetime, timedelta

from django.core import signing
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from lianxin.core import clock
from lianxin.core.visibility import scoped

from . import search, services
from .models import Category, Item, Kind, Status, live_q

SALT = "lianxin.learning.read"
TOKEN_MAX_AGE = timedelta(days=2)


def _live(qs):
    return qs.filter(live_q(clock.now()))


@scoped(Item, "view", kind="list", subset=True)
def library(request, qs):
    items = _live(qs).select_related("category")
    cat = request.GET.get("category") or ""
    chosen = Category.objects.filter(pk=int(cat)).first() if cat.isdigit() and len(cat) < 10 else None
    if chosen is not None:
        items = items.filter(category__path__startswith=chosen.path)
    counts = dict(_live(qs).values_list("category__path").annotate(n=Count("pk")))
    tops = [(c, sum(n for p, n in counts.items() if p.startswith(c.path)))
            for c in Category.objects.filter(parent__isnull=True, active=True).order_by("position", "pk")]
    read_today = services.read_today(request.user)
    return render(request, "learning/library.html", {
        "items": items.order_by("-publish_at", "-pk")[:40], "tops": tops, "chosen": chosen,
        "read_today": read_today,
    })


@scoped(Item, "view", kind="list", subset=True)
def search_page(request, qs):
    q = (request.GET.get("q") or "").strip()[:100]
    results, words = [], []
    if q:
        matched, words = search.matches(_live(qs), q)
        for item in matched.select_related("category")[:30]:
            text = services.sanitize.plain(item.body) or item.summary
            results.append({"item": item, "title": search.highlight(item.title, words),
                            "snippet": search.snippet(text, words)})
    return render(request, "learning/search.html", {"q": q, "results": results, "words": words})


def _token(item: Item, user, now: datetime) -> str:
    return signing.dumps({"i": item.pk, "u": user.pk, "t": int(now.timestamp())}, salt=SALT, compress=True)


@scoped(Item, "view")
def read(request, obj):
    now = clock.now()
    live = obj.status == Status.PUBLISHED and obj.publish_at is not None and obj.publish_at <= now
    counted = live and services.read_today(request.user, item=obj)
    return render(request, "learning/read.html", {
        "obj": obj, "live": live, "counted": counted, "token": _token(obj, request.user, now),
        "min_seconds": services.min_seconds(obj), "is_article": obj.kind == Kind.ARTICLE,
        "tags": obj.tags.all(),
    })


@scoped(Item, "view")
@require_POST
def beacon(request, obj):
    """``token`` (from the page), ``seconds`` visible, ``end`` = 1 when the end was reached. Idempotent: a
    repeat the same day answers with the read already counted."""
    try:
        data = signing.loads(request.POST.get("token", ""), salt=SALT, max_age=TOKEN_MAX_AGE)
        seconds = int(float(request.POST.get("seconds", "0")))
    except (signing.BadSignature, ValueError, TypeError):
        return JsonResponse({"counted": False, "reason": "bad_token"}, status=400)
    if data.get("i") != obj.pk or data.get("u") != request.user.pk:
        return JsonResponse({"counted": False, "reason": "bad_token"}, status=400)
    opened_at = datetime.fromtimestamp(data["t"], tz=UTC)
    outcome = services.record_read(obj, user=request.user, seconds=max(0, seconds),
                                   reached_end=request.POST.get("end") == "1", opened_at=opened_at)
    return JsonResponse({"counted": outcome.read is not None, "created": outcome.created,
                         "reason": outcome.reason})
