"""Navigation entries by name; roles list the names they see (core.roles), modules add entries."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    name: str
    label: object
    url_name: str
    icon: str = "•"


NAV: dict[str, NavEntry] = {}


def register_nav(name: str, label, url_name: str, icon: str = "•") -> None:
    NAV[name] = NavEntry(name, label, url_name, icon)


register_nav("home", _("My work"), "core:home", "⌂")
register_nav("inbox", _("Messages"), "core:inbox", "✉")


def entries_for(user) -> list[NavEntry]:
    from .roles import ROLES
    from .visibility import user_grants

    names = ["home"]
    if user.is_authenticated:
        for grant in user_grants(user):
            role = ROLES.get(grant.role)
            for name in role.nav if role else ():
                if name not in names:
                    names.append(name)
        if user.is_superuser:
            for name in NAV:
                if name not in names:
                    names.append(name)
        names.append("inbox")
    return [NAV[n] for n in names if n in NAV]
