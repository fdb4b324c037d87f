"""Records of this app in the shared test world (StationsConfig.extend_world)."""

from datetime import timedelta


def extend(world) -> None:
    """One station per community (a firm station hosted by the community's firm) and one anonymous
    check-in at each; a station's name carries the community's marker."""
    from lianxin.core import clock

    from . import services

    stations, checkins = {}, {}
    for code in ("3708010101", "3708010102", "3708010201", "3708020101"):
        area = world.areas[code]
        lng, lat = area.center
        station = services.create_station(
            actor=None, kind="xinxin", name=f"驿站 {world.marker('station-' + code)}", area=area,
            org=world.orgs[f"firm-{code}"], lng=lng, lat=lat, address="测试路1号", hours=["24h"] * 7,
            water=True, charging=True)
        stations[code] = station
        checkins[code] = services.record_checkin(station, "water", at=clock.now() - timedelta(hours=2)).checkin
    world.samples["stations.station"] = stations
    world.samples["stations.checkin"] = checkins
    world.details["stations.station"] = "stations:detail"
