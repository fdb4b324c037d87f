from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core.trees import TreeNode
from lianxin.core.visibility import ScopedModel

from . import geo


class AreaKind(models.TextChoices):
    CITY = "city", _("City")
    COUNTY = "county", _("County / district")
    TOWN = "town", _("Town / street")
    COMMUNITY = "community", _("Community / village")
    GRID = "grid", _("Grid")


# Each kind may only sit under the kind before it.
KIND_ORDER = [AreaKind.CITY, AreaKind.COUNTY, AreaKind.TOWN, AreaKind.COMMUNITY, AreaKind.GRID]
PARENT_KIND = {child: parent for parent, child in zip(KIND_ORDER, KIND_ORDER[1:], strict=False)}


class Area(TreeNode, ScopedModel):
    scope_area = "path"

    kind = models.CharField(_("kind"), max_length=16, choices=AreaKind.choices)
    code = models.CharField(_("division code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_demo_code = models.BooleanField(
        _("made-up code"), default=False, help_text=_("Demo data: not a real GB/T 2260 division code.")
    )
    boundary = models.JSONField(_("boundary (GeoJSON, WGS-84)"), null=True, blank=True)
    is_demo_boundary = models.BooleanField(
        _("generated outline"), default=False,
        help_text=_("Demo data: an outline generated inside the real county, not a surveyed boundary."),
    )
    # Bounding box of the boundary: the index-backed prefilter of point lookups.
    min_lng = models.FloatField(null=True, blank=True, editable=False)
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lng = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "min_lng", "max_lng"], name="area_bbox_idx")]

    def __str__(self):
        return self.name

    @property
    def center(self) -> tuple[float, float] | None:
        """A point inside the area, near its middle (the box's centre may lie outside a concave outline)."""
        return geo.inner_point(self.boundary) if self.boundary else None


def place_labels(areas) -> dict[int, str]:
    """pk -> "county · town · community · grid" of each area (the city left out), so that two grids of the same
    name in different counties can be told apart. One query for the ancestors of all of them."""
    areas = list(areas)
    chains = {a.pk: [int(x) for x in a.path.strip("/").split("/") if x] for a in areas}
    wanted = {pk for chain in chains.values() for pk in chain}
    names = dict(Area.objects.filter(pk__in=wanted).exclude(kind=AreaKind.CITY).values_list("pk", "name"))
    return {pk: " · ".join(names[i] for i in chain if i in names) for pk, chain in chains.items()}
