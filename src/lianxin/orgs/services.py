"""The write path for organisations."""

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.core.audit import actor_context
from lianxin.core.trees import TreeError, place_node

from .models import Org

FIELDS = ("kind", "name", "short_name", "code", "area", "industry", "is_active")


def _clean(org: Org) -> None:
    org.code = (org.code or "").strip() or None
    org.name = (org.name or "").strip()
    org.full_clean(exclude=["parent", "path"])


@transaction.atomic
def create_org(*, actor, parent: Org | None, **fields) -> Org:
    org = Org(**{k: v for k, v in fields.items() if k in FIELDS})
    _clean(org)
    with actor_context(actor):
        place_node(org, parent)
    return org


@transaction.atomic
def update_org(org: Org, *, actor, parent=..., **fields) -> Org:
    org = Org.objects.select_for_update().get(pk=org.pk)
    for key, value in fields.items():
        if key in FIELDS:
            setattr(org, key, value)
    _clean(org)
    with actor_context(actor):
        if parent is not ... and parent != org.parent:
            place_node(org, parent)
        else:
            org.save()
    return org


@transaction.atomic
def delete_org(org: Org, *, actor) -> None:
    if org.children.exists():
        raise TreeError(
            _("“%(name)s” still has sub-organisations; delete or move them first.") % {"name": org.name}
        )
    try:
        with actor_context(actor), transaction.atomic():
            org.delete()
    except ProtectedError as e:
        raise TreeError(
            ngettext("“%(name)s” is still used by %(count)d record (%(example)s); move it first.",
                     "“%(name)s” is still used by %(count)d records (for example %(example)s); move them first.",
                     len(e.protected_objects))
            % {"name": org.name, "count": len(e.protected_objects), "example": next(iter(e.protected_objects))}
        ) from e
