"""The one scoping mechanism: ``Model.objects.visible_to(user, action)``.

What a user may reach = area grants ∪ org grants ∪ involvement (DESIGN.md). Each scoped model says
where its anchors are (``scope_area``/``scope_org``: lookups ending in a tree path) and, optionally,
how a user is involved with a row (``involvement_q``). Views never filter permissions by hand: they
use the ``scoped`` decorator below, which answers 404 out of scope and 403 in scope without the right.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404, HttpResponse

from .roles import ROLES
from .trees import minimal_paths, subtree_q


def user_grants(user) -> list:
    """The user's role grants with their anchor paths, cached on the user object for the request."""
    cached = getattr(user, "_lianxin_grants", None)
    if cached is None:
        # Through the user's reverse relation, so that core needs no import of accounts. Boundaries are the bulk of
        # an area row and no permission check reads them.
        cached = list(user.grants.select_related("area", "org").defer("area__boundary"))
        user._lianxin_grants = cached
    return cached


def grant_paths(user, model_label: str, action: str) -> tuple[list[str], list[str]]:
    """(area paths, org paths) below which ``user`` may do ``action`` on ``model_label``."""
    areas, orgs = [], []
    for g in user_grants(user):
        role = ROLES.get(g.role)
        if role is None or not role.allows(model_label, action):
            continue
        if g.area_id:
            areas.append(g.area.path)
        if g.org_id:
            orgs.append(g.org.path)
    return minimal_paths(areas), minimal_paths(orgs)


def has_role(user, *codes: str) -> bool:
    return user.is_authenticated and any(g.role in codes for g in user_grants(user))


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        model = self.model
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        label = model._meta.label_lower
        area_paths, org_paths = grant_paths(user, label, action)
        q = Q(pk__in=[])
        lookups = (model.scope_area,) if isinstance(model.scope_area, str) else model.scope_area
        for p in area_paths:
            for lookup in lookups:
                q |= subtree_q(lookup, p)
        if getattr(model, "scope_org", None):
            for p in org_paths:
                q |= subtree_q(model.scope_org, p)
        involved = model.involvement_q(user, action)
        if involved is not None:
            q |= involved
        return self.filter(q)


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


class ScopedModel(models.Model):
    """Base for every model holding user data. ``objects`` stays unscoped for services and tasks."""

    # Lookups ending in a tree path; a tuple means "anchored at any of these".
    scope_area: str | tuple[str, ...] = "area__path"
    scope_org: str | None = None

    objects = ScopedManager()

    class Meta:
        abstract = True

    @classmethod
    def involvement_q(cls, user, action: str) -> Q | None:
        return None


def may_anywhere(user, model, action: str) -> bool:
    """Whether ``user`` may ``action`` rows of ``model`` somewhere (to show or hide an "add" button)."""
    return user.is_superuser or any(grant_paths(user, model._meta.label_lower, action))


def may_at(user, model, action: str, *, area=None, org=None) -> bool:
    """Whether a record anchored at ``area``/``org`` would be within ``user``'s reach for ``action``: the rule
    ensure_created_in_scope enforces after a write, asked beforehand (importers check each row with it)."""
    if user.is_superuser:
        return True
    label = model if isinstance(model, str) else model._meta.label_lower
    area_paths, org_paths = grant_paths(user, label, action)
    return bool(area and any(area.path.startswith(p) for p in area_paths)) or bool(
        org and any(org.path.startswith(p) for p in org_paths))


def can(user, obj, action: str) -> bool:
    return type(obj).objects.visible_to(user, action).filter(pk=obj.pk).exists()


def get_scoped_object(user, queryset_or_model, action: str = "view", **lookup):
    """The object if visible; 404 if not visible at all; 403 if visible but ``action`` is not allowed."""
    qs = queryset_or_model.objects.all() if isinstance(queryset_or_model, type) else queryset_or_model
    obj = qs.visible_to(user, "view").filter(**lookup).first()
    if obj is None:
        raise Http404
    if action != "view" and not can(user, obj, action):
        raise PermissionDenied
    return obj


def ensure_created_in_scope(user, obj, action: str = "add") -> None:
    """Call inside the creating transaction (NetBox's habit): roll back and 403 if outside the scope."""
    if not can(user, obj, action):
        transaction.set_rollback(True)
        raise PermissionDenied


class Scope:
    """What a view declares: the model it serves, the action it needs, and its kind."""

    def __init__(self, model, action: str, kind: str, lookup: str, sample: dict | None = None, subset=False,
                 staff=False):
        self.model, self.action, self.kind, self.lookup = model, action, kind, lookup
        self.subset = subset  # a list showing only part of what is visible (e.g. "my tasks")
        self.staff = staff  # refused (403) to users who reach rows only by involvement
        self.sample = sample or {}  # values for the route's other URL kwargs, for the permission matrix

    def __repr__(self):
        return f"Scope({self.model._meta.label}, {self.action!r}, {self.kind!r})"


def _login_required(request):
    from django.contrib.auth.views import redirect_to_login

    if request.user.is_authenticated:
        return None
    if getattr(request, "htmx", False):
        response = HttpResponse(status=401)
        response["HX-Redirect"] = redirect_to_login(request.get_full_path()).url
        return response
    return redirect_to_login(request.get_full_path())


def scoped(model, action: str = "view", *, kind: str = "object", lookup: str = "pk", sample: dict | None = None,
           subset: bool = False, staff: bool = False):
    """Declare a view's scope.

    kind="object": the view gets ``obj`` (404/403 per the rules above) from the URL kwarg ``lookup``.
    kind="list":   the view gets ``qs``, the rows visible for ``action``.
    kind="create": the view gets nothing extra; it must call ``ensure_created_in_scope``. Users who
                   may not ``action`` anywhere get 403.
    staff=True:    a working screen (a dispatch board, a bulk action, an export): only users whose role grants
                   ``action`` somewhere may open it; a resident who reaches rows only by involvement gets 403.
    The declaration is also what the permission-matrix test reads from the URL resolver.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            denied = _login_required(request)
            if denied:
                return denied
            if staff and not may_anywhere(request.user, model, action):
                raise PermissionDenied
            if kind == "object":
                obj = get_scoped_object(request.user, model, action, **{lookup: kwargs.pop(lookup)})
                return view(request, obj, *args, **kwargs)
            qs = model.objects.visible_to(request.user, action)
            if kind == "list":
                return view(request, qs, *args, **kwargs)
            if not may_anywhere(request.user, model, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.lianxin_scope = Scope(model, action, kind, lookup, sample, subset, staff)
        return wrapper

    return decorator


def configuration(model, action: str = "change"):
    """A view that edits city-wide configuration (categories, time limits, holidays), not user records.

    Only roles allowed ``action`` on ``model`` anywhere may open it (403 otherwise); there is no area scope.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            denied = _login_required(request)
            if denied:
                return denied
            if not may_anywhere(request.user, model, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.lianxin_scope = Scope(model, action, "config", "pk")
        return wrapper

    return decorator


def personal(view):
    """A view about the signed-in user's own things (inbox, preferences): login, no shared records."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return _login_required(request) or view(request, *args, **kwargs)

    wrapper.lianxin_scope = "personal"
    return wrapper


def public(view):
    """A view anyone may open (login page, language switch). Marked for the permission matrix."""
    view.lianxin_scope = "public"
    return view
