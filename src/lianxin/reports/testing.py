"""Records of this app in the shared test world (ReportsConfig.extend_world)."""


def extend(world) -> None:
    """One draft briefing per community (this month, every section), drafted by the administrator."""
    from .briefing import draft
    from .forms import default_period

    briefings = {}
    for code in ("3708010101", "3708010102", "3708010201", "3708020101"):
        b = draft(actor=world.users["administrator"], area=world.areas[code], period=default_period(),
                  sections=["cases", "care", "stations"])
        b.title = f"工作简报 {world.marker('briefing-' + code)}"
        b.save(update_fields=["title"])
        briefings[code] = b
    world.samples["reports.briefing"] = briefings
    world.details["reports.briefing"] = "reports:briefing"
