"""The event/state checker: a case's row must equal what its events add up to (DESIGN.md invariant 2)."""

from .models import Case, CaseEvent


def expected_state(events: list[CaseEvent]) -> dict:
    last = events[-1]
    rating = None
    rework = extensions = supervised = 0
    for e in events:
        if e.kind == "rate":
            rating = e.data.get("stars")
        elif e.kind == "verify" and not e.data.get("passed"):
            rework += 1
        elif e.kind == "extend_decide" and e.data.get("approve"):
            extensions += 1
        elif e.kind == "supervise":
            supervised += 1
    return {"stage": last.to_stage, "due_at": last.due_after, "parked": last.parked_after, "rating": rating,
            "rework_count": rework, "extension_count": extensions, "supervise_count": supervised}


def check_case(case: Case, events: list[CaseEvent]) -> list[str]:
    if not events:
        return [f"{case.number}: no events"]
    problems = []
    if events[0].kind != "report":
        problems.append(f"{case.number}: first event is {events[0].kind}, not report")
    for field, want in expected_state(events).items():
        got = getattr(case, field)
        if got != want:
            problems.append(f"{case.number}: {field} is {got!r}, events say {want!r}")
    if case.merged_into_id and not any(e.kind == "merge" for e in events):
        problems.append(f"{case.number}: merged without a merge event")
    if case.stage == "closed" and not case.close_result:
        problems.append(f"{case.number}: closed without a result")
    return problems


def check(cases) -> list[str]:
    """Check a queryset of cases; returns a list of human-readable problems (empty when consistent)."""
    problems = []
    ids = list(cases.values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        events: dict[int, list] = {pk: [] for pk in chunk}
        for e in CaseEvent.objects.filter(case_id__in=chunk).order_by("case_id", "at", "pk"):
            events[e.case_id].append(e)
        for case in Case.objects.filter(pk__in=chunk):
            problems += check_case(case, events[case.pk])
    return problems
