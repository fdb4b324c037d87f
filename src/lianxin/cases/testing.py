"""Records of the case engine in the shared test world (CasesConfig.extend_world)."""


def extend(world) -> None:
    """One inspection round per community (run over the community's firm) and one sweep in its grid."""
    from lianxin.core import clock

    from .models import InspectionRound, Sweep
    from .sweeps import WINTER_CHECKLIST

    rounds = {}
    today = clock.today()
    for code in ("3708010101", "3708010102", "3708010201", "3708020101"):
        r = InspectionRound.objects.create(name=f"互学互检 {world.marker('round-' + code)}", area=world.areas[code],
                                           starts_on=today, ends_on=today)
        r.units.set([world.orgs[f"firm-{code}"]])
        rounds[code] = r
    world.samples["cases.inspectionround"] = rounds
    world.samples["cases.sweep"] = {
        code: Sweep.objects.create(name=f"冬季安全风险排查 {world.marker('sweep-' + code)}",
                                   area=world.areas[f"{code}-G"],
                                   starts_on=today, ends_on=today, checklist=WINTER_CHECKLIST)
        for code in rounds}
    world.details["cases.sweep"] = "cases:sweep"
    world.details["cases.inspectionround"] = "cases:inspection"
