"""Records of this app in the shared test world (CareConfig.extend_world)."""


def extend(world) -> None:
    """One festival visit per community (without duties: the matrix needs only the record); its title carries
    the community's marker."""
    from datetime import timedelta

    from lianxin.core import clock

    from .models import GroupVisit, Occasion

    today = clock.today()
    groups = {}
    for code in ("3708010101", "3708010102", "3708010201", "3708020101"):
        groups[code] = GroupVisit.objects.create(
            occasion=Occasion.DOUBLE_NINTH, title=f"重阳慰问 {world.marker('group-' + code)}", area=world.areas[code],
            start_on=today, due_on=today + timedelta(days=10), created_at=clock.now())
    world.samples["care.groupvisit"] = groups
    world.details["care.groupvisit"] = "care:group"
