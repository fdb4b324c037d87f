"""The registry of duty kinds. Modules add kinds with ``register_kind`` (e.g. talent adds "expert_contact").

A kind may also count as other kinds: a home visit is also a contact, so a visit logged in March fulfils
March's contact as well as the quarter's visit (``counts_as``).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass
class DutyKind:
    code: str
    label: object
    counts_as: tuple[str, ...] = field(default_factory=tuple)


DUTY_KINDS: dict[str, DutyKind] = {}


def register_kind(code: str, label, *, counts_as: tuple[str, ...] = ()) -> DutyKind:
    if code in DUTY_KINDS:
        raise ValueError(f"duty kind {code!r} registered twice")
    kind = DutyKind(code, label, tuple(counts_as))
    DUTY_KINDS[code] = kind
    return kind


def fulfils(log_kind: str) -> set[str]:
    """The plan kinds a log of ``log_kind`` fulfils: itself and what it counts as."""
    kind = DUTY_KINDS.get(log_kind)
    return {log_kind, *(kind.counts_as if kind else ())}


def label_of(code: str):
    kind = DUTY_KINDS.get(code)
    return kind.label if kind else code


def kind_choices():
    return [(k.code, k.label) for k in DUTY_KINDS.values()]


register_kind("contact", _("Contact"))
register_kind("visit", _("Visit"), counts_as=("contact",))
register_kind("meeting", _("Meeting"))
