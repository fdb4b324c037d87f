"""Coordinate conversion at the edge, against values from the reference implementation (npm coordtransform)."""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from lianxin.areas import coords

# (WGS-84 lng, lat) -> GCJ-02, BD-09 as computed by coordtransform 2.1.2 (wgs84togcj02, gcj02tobd09).
REFERENCE = [
    ((116.587, 35.415), (116.59229107140344, 35.414552101088475), (116.59888927295101, 35.420276304295925)),  # 济宁
    ((116.05, 35.2), (116.05573663544405, 35.199656884223316), (116.06218164443474, 35.20589847768819)),
    ((116.404, 39.915), (116.41024449916938, 39.91640428150164), (116.41662724378733, 39.922699552216216)),
]


def close(a, b, tol=1e-6):
    return abs(a[0] - b[0]) < tol and abs(a[1] - b[1]) < tol


@pytest.mark.parametrize("wgs,gcj,bd", REFERENCE)
def test_reference_values(wgs, gcj, bd):
    assert close(coords.wgs84_to_gcj02(*wgs), gcj)
    assert close(coords.gcj02_to_bd09(*gcj), bd)
    assert close(coords.wgs84_to_bd09(*wgs), bd)


def test_gcj_to_bd_reference():
    # coordtransform's own README example: gcj02tobd09(116.404, 39.915)
    assert close(coords.gcj02_to_bd09(116.404, 39.915), (116.41036949371029, 39.92133699351022))
    assert close(coords.bd09_to_gcj02(116.404, 39.915), (116.39762729119315, 39.90865673957631), 1e-5)


@pytest.mark.parametrize("wgs", [w for w, _g, _b in REFERENCE])
def test_round_trips(wgs):
    assert close(coords.gcj02_to_wgs84(*coords.wgs84_to_gcj02(*wgs)), wgs, 1e-8)
    assert close(coords.bd09_to_wgs84(*coords.wgs84_to_bd09(*wgs)), wgs, 1e-8)
    # the offset is real: a few hundred metres in Jining, not zero and not kilometres
    g = coords.wgs84_to_gcj02(*wgs)
    assert 1e-4 < abs(g[0] - wgs[0]) + abs(g[1] - wgs[1]) < 1e-1


@pytest.mark.parametrize("point", [(2.35, 48.85), (-74.0, 40.7), (139.7, 35.7), (116.0, -33.0)])
def test_outside_china_unchanged(point):
    assert coords.wgs84_to_gcj02(*point) == point
    assert coords.wgs84_to_bd09(*point) == point
    assert coords.gcj02_to_wgs84(*point) == point


def test_navigation_links():
    lng, lat = REFERENCE[0][0]
    links = {link.key: link.url for link in coords.navigation_links(lng, lat, "连心驿站; 1:2")}
    assert set(links) == {"amap", "baidu", "tencent", "geo"}

    amap = urlsplit(links["amap"])
    assert (amap.scheme, amap.netloc, amap.path) == ("https", "uri.amap.com", "/marker")
    q = parse_qs(amap.query)
    assert q["coordinate"] == ["gaode"] and q["name"] == ["连心驿站; 1:2"]
    a_lng, a_lat = map(float, q["position"][0].split(","))  # lng,lat in GCJ-02
    assert close((a_lng, a_lat), REFERENCE[0][1])

    baidu = urlsplit(links["baidu"])
    assert (baidu.netloc, baidu.path) == ("api.map.baidu.com", "/marker")
    q = parse_qs(baidu.query)
    assert q["coord_type"] == ["bd09ll"] and q["output"] == ["html"] and q["src"]
    b_lat, b_lng = map(float, q["location"][0].split(","))  # Baidu: latitude first, BD-09
    assert close((b_lng, b_lat), REFERENCE[0][2])

    tencent = urlsplit(links["tencent"])
    assert (tencent.netloc, tencent.path) == ("apis.map.qq.com", "/uri/v1/marker")
    marker = tencent.query.split("&")[0].removeprefix("marker=")
    coord, title = marker.split(";")
    t_lat, t_lng = map(float, coord.removeprefix("coord:").split(","))  # latitude first, GCJ-02
    assert close((t_lng, t_lat), REFERENCE[0][1])
    assert unquote(title.removeprefix("title:")) == "连心驿站  1 2"
    assert "referer=" in tencent.query

    assert links["geo"].startswith(f"geo:{lat:.6f},{lng:.6f}?q=")  # WGS-84, unconverted


def test_navigation_link_name_defaults():
    links = coords.navigation_links(116.05, 35.2, "")
    assert all(link.url for link in links) and all(str(link.label) for link in links)
