"""Records of this app in the shared test world (ActivitiesConfig.extend_world): per community a party branch
(a top-level org anchored in the community, outside the working committee's tree of industry committees and
firms) with two party members and one other member; a branch committee meeting of this morning with its notice
sent; and a monthly theme. The branch is outside that tree so that other apps' records addressed to its party
members (the learning world's study assignments to the firms, the learning tests' to the committee) do not reach
the branch's members: the world owes no duties."""

from datetime import timedelta


def extend(world) -> None:
    from lianxin.core import clock
    from lianxin.orgs import services as orgs
    from lianxin.people import services as people

    from . import services

    activities, themes = {}, {}
    now = clock.now()
    for code in ("3708010101", "3708010102", "3708010201", "3708020101"):
        area = world.areas[code]
        branch = orgs.create_org(actor=None, parent=None, kind="branch",
                                 name=f"党支部 {world.marker('branch-' + code)}", area=area)
        world.orgs[f"branch-{code}"] = branch
        for i, party in enumerate((True, True, False)):
            people.create_person(actor=None, name=f"支部成员{i + 1} {code[-4:]}", area=area, org=branch,
                                 is_party_member=party)
        themes[code] = services.publish_theme(actor=None, area=area, month=clock.today(),
                                              title=f"主题 {world.marker('theme-' + code)}")
        activity = services.create_activity(
            actor=None, kind="committee", title=f"支委会 {world.marker('activity-' + code)}", org=branch,
            starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1), place="党群服务中心")
        services.send_notice(activity, actor=None)
        activity.refresh_from_db()
        activities[code] = activity
    world.samples["activities.activity"] = activities
    world.samples["activities.theme"] = themes
    world.details["activities.activity"] = "activities:detail"
    world.details["activities.theme"] = "activities:theme"
