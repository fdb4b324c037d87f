"""The role registry: what each role may do to each model, anywhere below the node it is granted at.

Modules extend it: ``register_role`` adds a role, ``allow`` adds actions to an existing role. A role's
permissions are (model label -> actions). The standard actions are view, add, change, delete; a model
may define more (e.g. people.person ``reveal``).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise


@dataclass
class Role:
    code: str
    label: str | Promise
    # The area kind (or "org") a grant of this role is normally made at; guides the grant form.
    level: str = ""
    perms: dict[str, set[str]] = field(default_factory=dict)
    # Navigation entries and the "my work" widgets this role sees, by name, in order.
    nav: list[str] = field(default_factory=list)
    # The entries this role uses most, put at the head of its menu (core.nav.entries_for).
    first: list[str] = field(default_factory=list)
    sees_personal_data: bool = False

    def allows(self, model_label: str, action: str) -> bool:
        return action in self.perms.get(model_label, ())


ROLES: dict[str, Role] = {}

ALL = ("view", "add", "change", "delete")


def register_role(code: str, label, *, level: str = "", nav: Iterable[str] = (), sees_personal_data=False) -> Role:
    if code in ROLES:
        raise ValueError(f"role {code!r} registered twice")
    role = Role(code=code, label=label, level=level, nav=list(nav), sees_personal_data=sees_personal_data)
    ROLES[code] = role
    return role


def allow(role_code: str, model_label: str, *actions: str) -> None:
    ROLES[role_code].perms.setdefault(model_label.lower(), set()).update(actions)


def add_nav(role_code: str, *entries: str) -> None:
    ROLES[role_code].nav.extend(e for e in entries if e not in ROLES[role_code].nav)


def put_first(role_code: str, *entries: str) -> None:
    """Put ``entries`` (by name) at the head of the role's menu, in this order: its most used screens."""
    ROLES[role_code].first.extend(e for e in entries if e not in ROLES[role_code].first)


def role_choices():
    return [(r.code, r.label) for r in ROLES.values()]
