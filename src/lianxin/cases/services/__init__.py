"""Moves on the case engine. Each is atomic, permission-checked, version-checked and writes a CaseEvent.

Views, the API, importers, commands and the seeder call these functions and nothing else writes cases.
Notifications go out after commit (lianxin.core.notify). Split by topic: intake, loop, side paths, access.
"""

from .access import (  # noqa: F401
    available_moves,
    follow,
    reporter_hidden_from,
)
from .common import (  # noqa: F401
    ABOVE_ROLES,
    LEVELS,
    Conflict,
    MoveRefused,
    Outcome,
    _event,
    _level_staff,
    _tell,
    _unit_users,
    owner_area,
)
from .intake import (  # noqa: F401
    DOORS,
    IntakeError,
    Limits,
    Submission,
    clean_report,
    derive_title,
    edit_report,
    file_report,
    intake_level,
    report,
    withdraw,
)
from .loop import (  # noqa: F401
    accept,
    dispatch,
    feedback,
    handler_accept,
    progress,
    rate,
    redispatch,
    refuse,
    return_case,
    revisit,
    verify,
)
from .side import (  # noqa: F401
    close_without_fix,
    decide_extension,
    decide_park,
    decide_void,
    escalate,
    handover,
    merge,
    recategorize,
    request_extension,
    request_park,
    request_void,
    supervise,
    unpark,
)
