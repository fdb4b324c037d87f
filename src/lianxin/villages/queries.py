"""Configuration reads for the pages (the must-visit categories, the must-ask questions and the survey items are
configuration every signed-in user may read, not user data)."""

from .models import MustAskQuestion, MustVisitCategory, SurveyItem


def active_categories():
    return MustVisitCategory.objects.filter(active=True).order_by("order", "pk")


def active_questions():
    return list(MustAskQuestion.objects.filter(active=True).order_by("order", "pk"))


def active_items():
    return list(SurveyItem.objects.filter(active=True).order_by("order", "pk"))


def villages_for(user, model, action: str):
    """The villages (community-kind areas) below the user's grants that allow ``action`` on ``model``: where the
    user may keep or see the village's records, whether or not they may view the area tree itself."""
    from django.db.models import Q

    from lianxin.areas.models import Area, AreaKind
    from lianxin.core.trees import subtree_q
    from lianxin.core.visibility import grant_paths

    qs = Area.objects.filter(kind=AreaKind.COMMUNITY).order_by("path")
    if user.is_superuser:
        return qs
    q = Q(pk__in=[])
    for path in grant_paths(user, model._meta.label_lower, action)[0]:
        q |= subtree_q("path", path)
    return qs.filter(q)


def all_categories():
    return MustVisitCategory.objects.order_by("order", "pk")


def all_questions():
    return MustAskQuestion.objects.order_by("order", "pk")


def all_items():
    return SurveyItem.objects.order_by("order", "pk")
