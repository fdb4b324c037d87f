"""Choices for the forms (areas, employers, talents within the user's reach) and the form-saving helper."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from lianxin.areas.models import Area
from lianxin.core import resubmit
from lianxin.core.trees import subtree_q
from lianxin.core.visibility import grant_paths
from lianxin.orgs.models import Org

EMPLOYER_KINDS = ("firm", "department", "social_org")


def areas_for(user, model, action: str = "add"):
    areas = Area.objects.visible_to(user).filter(kind__in=("county", "town", "community", "grid"))
    if not user.is_superuser:
        q = Q(pk__in=[])
        for p in grant_paths(user, model._meta.label_lower, action)[0]:
            q |= subtree_q("path", p)
        areas = areas.filter(q)
    return areas.order_by("path")


def employers_for(user):
    return Org.objects.visible_to(user).filter(kind__in=EMPLOYER_KINDS, is_active=True).order_by("name")


def save_form(request, form, write, *, once: bool = True):
    """Run ``write()`` in a transaction (once per form key for a create): (obj, created), or (None, False) with
    the service's refusal added to the form."""
    try:
        with transaction.atomic():
            if once:
                return resubmit.once(request, form.cleaned_data.get("key"), write)
            return write(), True
    except ValidationError as e:
        form.add_error(None, e)
    except PermissionDenied as e:
        form.add_error(None, ValidationError(str(e) or _denied()))
    return None, False


def _denied():
    from django.utils.translation import gettext as _

    return _("This is outside the area you may change.")
