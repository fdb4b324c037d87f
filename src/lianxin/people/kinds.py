"""The registry of person kinds (tags). Modules add kinds with ``register_kind``."""

from django.utils.translation import gettext_lazy as _

PERSON_KINDS: dict[str, object] = {}


def register_kind(code: str, label) -> None:
    PERSON_KINDS[code] = label


for _code, _label in [
    ("resident", _("Resident")),
    ("rider", _("Food-delivery rider")),
    ("courier", _("Courier")),
    ("ride_hailing_driver", _("Ride-hailing driver")),
    ("truck_driver", _("Truck driver")),
    ("grid_worker", _("Grid worker")),
    ("staff", _("Staff / cadre")),
    ("retired_cadre", _("Retired cadre")),
    ("care_cadre", _("Care cadre")),
    ("family_doctor", _("Family doctor")),
    ("first_secretary", _("First secretary")),
    ("expert", _("Expert")),
    ("volunteer", _("Volunteer")),
]:
    register_kind(_code, _label)


def kind_choices():
    return list(PERSON_KINDS.items())
