"""Records of this app in the shared test world (NewgroupsConfig.extend_world).

Each community's marked firm gets a profile (0 members, not covered), an open close-out item (a case at the
firm's town, made on first use) and a town-level measures document; names carry the community's marker."""

import copy
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from lianxin.core import clock

OPENED_DAYS_AGO = 180
CODES = ("3708010101", "3708010102", "3708010201", "3708020101")


class OnFirstUse(dict):
    """The close-out items are cases: made only when a test first reads them, so that the case counts and
    alerts other apps' tests make over the shared world stay the world's own."""

    def __init__(self, make, *args):
        super().__init__()
        self._make, self._args = make, args

    def __deepcopy__(self, memo):
        # Each test's copy of the shared world makes its own items on first use (copying must not make them).
        new = type(self)(self._make, *copy.deepcopy(self._args, memo))
        for key, value in dict.items(self):
            new[key] = copy.deepcopy(value, memo)
        return new

    def _load(self):
        if self._make is not None:
            make, self._make = self._make, None
            self.update(make(*self._args))

    def __getitem__(self, key):
        self._load()
        return super().__getitem__(key)

    def __iter__(self):
        self._load()
        return super().__iter__()

    def __len__(self):
        self._load()
        return super().__len__()

    def items(self):
        self._load()
        return super().items()

    def values(self):
        self._load()
        return super().values()

    def keys(self):
        self._load()
        return super().keys()


def ensure_categories() -> None:
    from lianxin.cases.models import Category, TimeLimit

    from .seed import CLASS_CODE, seed

    if not Category.objects.filter(full_code=CLASS_CODE).exists():
        seed(Category, TimeLimit)


def extend(world) -> None:
    """Fill world.samples[label][community code] for each scoped model of the app."""
    from lianxin.core.testkit import tiny_jpeg
    from lianxin.core.uploads import store_upload

    from . import services

    ensure_categories()
    firms, measures = {}, {}
    for code in CODES:
        firms[code] = services.create_profile(actor=None, org=world.orgs[f"firm-{code}"], brand="示例",
                                              registered_on=date(2025, 1, 1), workers=10)
        town = world.areas[code[:8]]
        stored = store_upload(SimpleUploadedFile("m.jpg", tiny_jpeg(), "image/jpeg"), area=town)
        measures[code] = services.add_measure(actor=None, level="town", title=f"措施 {world.marker('measure-' + code)}",
                                              issued_on=date(2025, 3, 1), area=town, file=stored)

    def open_items(firms):
        # Opened half a year ago (overdue by now), on the case engine.
        with clock.at(clock.now() - timedelta(days=OPENED_DAYS_AGO)):
            return {code: services.open_closeout(firms[code], actor=None) for code in CODES}

    world.samples["newgroups.firmprofile"] = firms
    world.samples["newgroups.closeoutitem"] = OnFirstUse(open_items, firms)
    world.samples["newgroups.measuredocument"] = measures
    world.details["newgroups.firmprofile"] = "newgroups:firm"
    world.details["newgroups.closeoutitem"] = "newgroups:closeout"
    world.details["newgroups.measuredocument"] = "newgroups:measure"
