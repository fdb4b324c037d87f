"""Navigation: entries by name, each in a group (a domain of the platform); apps declare theirs in their
AppConfig (``core.modules.LianxinApp.nav``), and each entry names the roles that see it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class NavGroup:
    code: str
    label: object
    order: int


@dataclass(frozen=True)
class NavEntry:
    name: str
    label: object
    url_name: str
    icon: str = "•"
    group: str = ""
    # Roles whose menu shows the entry; appended to each role's menu (core.roles.Role.nav) in declaration order.
    roles: tuple[str, ...] = ()


# As ``NavEntry.roles``: every role registered when the entry is (e.g. the public station finder).
ALL_ROLES = ("*",)

NAV: dict[str, NavEntry] = {}
GROUPS: dict[str, NavGroup] = {}


def register_group(code: str, label, order: int) -> None:
    GROUPS[code] = NavGroup(code, label, order)


def register_nav(entry: NavEntry) -> None:
    from .roles import ROLES, add_nav

    if entry.group and entry.group not in GROUPS:
        raise ValueError(f"navigation entry {entry.name!r}: unknown group {entry.group!r}")
    NAV[entry.name] = entry
    for role in (list(ROLES) if entry.roles == ALL_ROLES else entry.roles):
        add_nav(role, entry.name)


# The domains of the platform, in menu order. A module puts its entries in one of them (or registers its own).
register_group("work", _("My work"), 0)
register_group("reports", pgettext_lazy("navigation group", "Reports"), 5)
register_group("cases", _("Cases"), 10)
register_group("care", _("Care"), 20)
register_group("newgroups", _("New economy"), 30)
register_group("party", pgettext_lazy("navigation group", "Party life"), 40)  # meetings, activities, learning
register_group("community", pgettext_lazy("navigation group", "Community"), 50)  # consultation, mediation
register_group("villages", pgettext_lazy("navigation group", "Villages"), 55)  # first secretaries
register_group("talent", pgettext_lazy("navigation group", "Talent"), 60)
register_group("assessment", pgettext_lazy("navigation group", "Assessment"), 70)
register_group("organisation", _("Organisation"), 80)
register_group("configuration", _("Configuration"), 90)

register_nav(NavEntry("home", _("My work"), "core:home", "⌂", group="work"))
register_nav(NavEntry("inbox", _("Messages"), "core:inbox", "✉", group="work"))


def entries_for(user) -> list[NavEntry]:
    from .roles import ROLES
    from .visibility import user_grants

    names = ["home"]
    if user.is_authenticated:
        for grant in user_grants(user):
            role = ROLES.get(grant.role)
            # The role's most used screens first, of those it is given (put_first never adds an entry).
            for name in ([n for n in role.first if n in role.nav] + role.nav) if role else ():
                if name not in names:
                    names.append(name)
        if user.is_superuser:
            for name in NAV:
                if name not in names:
                    names.append(name)
        names.append("inbox")
    return [NAV[n] for n in names if n in NAV]


# Up to this many entries the menu is one row (a resident's or a rider's few screens); beyond it, two levels.
FLAT_MENU_MAX = 10


def menu(items: list[dict]) -> dict:
    """The two-level menu of ``items`` ({"entry", "url", "active"}, in the user's order, the most used first).

    Groups come in the order of their first entry, each linking to its first entry; the second row holds the
    current group's entries. Few entries make one row (``groups`` empty).
    """
    if len(items) <= FLAT_MENU_MAX:
        return {"groups": [], "items": items}
    groups: dict[str, dict] = {}
    for item in items:
        code = item["entry"].group or "work"
        group = groups.setdefault(code, {"code": code, "label": GROUPS[code].label, "url": item["url"],
                                         "items": [], "active": False})
        group["items"].append(item)
        group["active"] = group["active"] or item["active"]
    current = next((g for g in groups.values() if g["active"]), None)
    return {"groups": list(groups.values()), "items": current["items"] if current else []}
