"""Records of this app in the shared test world (TalentConfig.extend_world): in each community a talent (of the
community's marked person), a demand of the community's firm, a job fair, a hire, an apartment unit, an
allocation round, a subsidy and a loan; names carry the community's marker. The hire is stored without its
follow-up duties and the talent has no liaison link, so the world owes nothing on the duty engine (tests that
count plans, obligations or logs start from zero)."""

from datetime import timedelta


def extend(world) -> None:
    from lianxin.core import clock

    from . import seed, services
    from .models import Apartment, Hire, Tier

    seed.ensure()
    tier = Tier.objects.get(code="high_level")
    today = clock.today()
    samples = {k: {} for k in ("talent", "demand", "recruitmentevent", "hire", "apartment", "allocationround",
                               "subsidy", "loan")}
    for code in ("3708010101", "3708010102", "3708010201", "3708020101"):
        area, firm, mark = world.areas[code], world.orgs[f"firm-{code}"], world.marker(code)
        talent = services.create_talent(actor=None, person=world.people[code], tier=tier, field="新材料",
                                        employer=firm, intake_date=today - timedelta(days=400))
        samples["talent"][code] = talent
        demand = services.create_demand(actor=None, employer=firm, area=area, position=f"工程师 {mark}", count=2)
        samples["demand"][code] = demand
        event = services.create_event(actor=None, area=area, name=f"招聘会 {mark}", held_on=today, mode="onsite",
                                      firms=[firm], applicants=30)
        samples["recruitmentevent"][code] = event
        samples["hire"][code] = Hire.objects.create(event=event, demand=demand, employer=firm, area=area,
                                                    name=f"新员工 {mark}", position="技术员", hired_on=today)

        unit = Apartment.objects.create(area=area, building=f"人才公寓 {mark}", unit="101", size_m2=60)
        samples["apartment"][code] = unit
        samples["allocationround"][code] = services.create_round(
            actor=None, area=area, name=f"配租 {mark}", method="lottery", tiers=[tier], units=[unit], seed=7)
        samples["subsidy"][code] = services.grant_subsidy(actor=None, policy="settling", granted_fen=500_000,
                                                          granted_on=today, talent=talent)
        samples["loan"][code] = services.arrange_loan(actor=None, product="talent", bank="测试银行",
                                                      amount_fen=100_000_000, arranged_on=today, employer=firm)
    for key, rows in samples.items():
        world.samples[f"talent.{key}"] = rows
    world.details["talent.talent"] = "talent:detail"
    world.details["talent.demand"] = "talent:demand_detail"
    world.details["talent.recruitmentevent"] = "talent:event_detail"
    world.details["talent.allocationround"] = "talent:round_detail"
