import pytest


@pytest.fixture
def make_station(world):
    """``make_station(code="3708010101", **fields)``: a station in a community of the test world."""
    from lianxin.stations import services

    def make(code="3708010101", *, name="测试驿站", lng=None, lat=None, **fields):
        area = world.areas[code]
        c_lng, c_lat = area.center
        values = {"kind": "xinxin", "hours": ["24h"] * 7, **fields}
        return services.create_station(actor=None, name=name, area=area, lng=lng or c_lng, lat=lat or c_lat,
                                       **values)

    return make
