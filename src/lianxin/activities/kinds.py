"""The kinds of activity: what each one gathers, which records it needs before it counts as held (数据留痕), its
rules (党员大会: more than half of the voting members present) and, for a branch's routine meetings (三会一课),
how often a branch owes one (DOMAIN.md: 支委会, 党小组会 and 主题党日 monthly, 党员大会 and 党课 quarterly,
组织生活会 and 民主评议 yearly). The frequencies are defaults: ``settings.ACTIVITY_FREQUENCIES`` (a dict kind →
"monthly"/"quarterly"/"yearly", or None for "not owed") overrides them.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

NOTICE, SIGNIN, MINUTES, PHOTOS = "notice", "signin", "minutes", "photos"
RECORD_LABELS = {NOTICE: _("notice sent"), SIGNIN: _("sign-in"), MINUTES: _("minutes"), PHOTOS: _("photos")}


@dataclass(frozen=True)
class Kind:
    code: str
    label: object
    party: bool = False  # a party organisation's meeting (三会一课 and the like): organised by a branch
    requires: tuple[str, ...] = (NOTICE, SIGNIN, MINUTES)
    quorum: bool = False  # more than half of the voting members (the party members of the roster) present
    frequency: str | None = None  # how often a branch owes one (None: not owed)
    takes_theme: bool = False  # takes the month's theme (一月一主题)
    training: bool = False  # counted as a training (trainings and trainees)

    @property
    def duty_kind(self) -> str:
        return f"activity_{self.code}"


PARTY_RECORDS = (NOTICE, SIGNIN, MINUTES, PHOTOS)

KINDS: dict[str, Kind] = {k.code: k for k in (
    Kind("committee", _("Branch committee meeting (支委会)"), party=True, requires=PARTY_RECORDS,
         frequency="monthly"),
    Kind("group", _("Party group meeting (党小组会)"), party=True, requires=PARTY_RECORDS, frequency="monthly"),
    Kind("assembly", _("General members' meeting (党员大会)"), party=True, requires=PARTY_RECORDS, quorum=True,
         frequency="quarterly"),
    Kind("lecture", _("Party lecture (党课)"), party=True, requires=PARTY_RECORDS, frequency="quarterly"),
    Kind("theme_day", _("Theme party day (主题党日)"), party=True, requires=PARTY_RECORDS, frequency="monthly",
         takes_theme=True),
    Kind("life_meeting", _("Organisational life meeting (组织生活会)"), party=True, requires=PARTY_RECORDS,
         quorum=True, frequency="yearly"),
    Kind("appraisal", _("Democratic appraisal of members (民主评议)"), party=True, requires=PARTY_RECORDS,
         quorum=True, frequency="yearly"),
    Kind("care", _("Care activity"), requires=(SIGNIN, PHOTOS), takes_theme=True),
    Kind("training", _("Training"), requires=(NOTICE, SIGNIN, MINUTES), training=True),
    Kind("work_meeting", _("Work meeting"), requires=(NOTICE, SIGNIN, MINUTES)),
    Kind("study", _("Study session"), requires=(SIGNIN, MINUTES)),
    Kind("lesson", _("Lecture or lesson"), requires=(SIGNIN,)),
    Kind("health", _("Health event (check-up, clinic, talk)"), requires=(SIGNIN,)),
)}


def kind_choices():
    return [(k.code, k.label) for k in KINDS.values()]


def frequency_of(code: str) -> str | None:
    """How often a branch owes an activity of this kind: the setting's override, else the kind's default."""
    overrides = getattr(settings, "ACTIVITY_FREQUENCIES", {}) or {}
    return overrides[code] if code in overrides else KINDS[code].frequency


def owed_kinds() -> list[Kind]:
    return [k for k in KINDS.values() if frequency_of(k.code)]


def register_duty_kinds() -> None:
    from lianxin.duties import kinds as duty_kinds

    for kind in KINDS.values():
        if kind.party and kind.duty_kind not in duty_kinds.DUTY_KINDS:
            duty_kinds.register_kind(kind.duty_kind, kind.label)
