"""Records of this app in the shared test world (WorkforceConfig.extend_world)."""

from datetime import timedelta


def extend(world) -> None:
    """Fill world.samples[label][community code] for each scoped model of the app."""
    from lianxin.core.clock import today

    from . import seed, services

    seed.ensure()
    samples = {label: {} for label in ("workforce.worker", "workforce.registration", "workforce.committeemember",
                                       "workforce.campaign")}
    start = today() - timedelta(days=30)
    for code, person in world.people.items():
        community, firm = world.areas[code], world.orgs[f"firm-{code}"]
        samples["workforce.worker"][code] = services.create_worker(
            actor=None, person=person, org=firm, area=community, is_collector=True, is_promoter=True)
        samples["workforce.registration"][code] = services.register(
            actor=None, kind="org", area=community, org=firm, registered_on=start, services="助老服务")
        samples["workforce.committeemember"][code] = services.add_committee_member(
            actor=None, area=community, org=firm, from_on=start)
        samples["workforce.campaign"][code] = services.create_campaign(
            actor=None, title=f"宣讲 {world.marker('campaign-' + code)}", area=community, starts_on=start,
            ends_on=today() + timedelta(days=30), promoters=[samples["workforce.worker"][code]])
    world.samples.update(samples)
    world.details.update({
        "workforce.worker": "workforce:detail",
        "workforce.registration": "workforce:registration",
        "workforce.committeemember": "workforce:committee_member",
        "workforce.campaign": "workforce:campaign",
    })
