"""What a person may see and do on a case now."""

from lianxin.core.visibility import grant_paths

from .. import flow
from ..models import Case, Follower, Nature
from .common import _handles


def is_confidential(case: Case) -> bool:
    """Whistle-blowing: a confidential category, or an appeal whose nature is 举报 (a report of wrongdoing)."""
    return case.category.confidential or case.nature == Nature.WHISTLEBLOW


def reporter_hidden_from(case: Case, viewer) -> bool:
    """Who reported is shown only to the reporter, to staff responsible for the area, and (except for
    whistle-blowing, where handling units never learn it: ``is_confidential``) to the handlers. Followers and
    other involved people never see another resident's name."""
    if viewer is None or viewer.pk == case.reporter_id or viewer.is_superuser:
        return False
    if is_confidential(case) and _handles(case, viewer):
        return True
    area_paths, _org_paths = grant_paths(viewer, "cases.case", "view")
    if any(case.area.path.startswith(p) for p in area_paths):
        return False
    return not _handles(case, viewer)


def follow(case: Case, *, user) -> bool:
    _obj, created = Follower.objects.get_or_create(case=case, user=user)
    return created


def available_moves(actor, case: Case, *, assignments=None) -> list[str]:
    """The moves this person may make on this case now (the case page shows only these; the web and the
    API accept only these): the flow table's rules (cases.flow), the same guards the moves run.

    ``assignments``: the case's assignments when the caller already has them (none for a case it has just
    filed); otherwise they are read once."""
    return flow.allowed(actor, case, assignments=assignments)
