"""Coordinate systems at the edge (DOMAIN.md, "Maps"): we store WGS-84 and convert only for the outside world.

- WGS-84 (GPS, 天地图's CGCS2000 is within centimetres of it): what the database holds.
- GCJ-02 (国测局 "Mars" coordinates): 高德 Amap and 腾讯 Tencent maps.
- BD-09: 百度 Baidu maps (GCJ-02 with a further offset).

The formulas are the widely published ones (the same as the ``coordtransform`` packages on PyPI and npm);
GCJ-02 is only defined inside China, so a point outside China's rough box is returned unchanged.
"""

import math
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.utils.translation import gettext_lazy as _

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by GCJ-02
_EE = 0.00669342162296594323  # its first eccentricity squared
_X_PI = math.pi * 3000.0 / 180.0


def out_of_china(lng: float, lat: float) -> bool:
    """Outside the box in which GCJ-02 offsets apply (the published bounds)."""
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _d_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _d_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _gcj_offset(lng: float, lat: float) -> tuple[float, float]:
    d_lat = _d_lat(lng - 105.0, lat - 35.0)
    d_lng = _d_lng(lng - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return d_lng, d_lat


def wgs84_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    if out_of_china(lng, lat):
        return lng, lat
    d_lng, d_lat = _gcj_offset(lng, lat)
    return lng + d_lng, lat + d_lat


def gcj02_to_wgs84(lng: float, lat: float) -> tuple[float, float]:
    """The inverse, by fixed-point iteration (better than 1e-9° after a few steps; the one-step
    approximation often published is off by up to a metre)."""
    if out_of_china(lng, lat):
        return lng, lat
    w_lng, w_lat = lng, lat
    for _step in range(30):
        g_lng, g_lat = wgs84_to_gcj02(w_lng, w_lat)
        e_lng, e_lat = g_lng - lng, g_lat - lat
        w_lng, w_lat = w_lng - e_lng, w_lat - e_lat
        if abs(e_lng) < 1e-12 and abs(e_lat) < 1e-12:
            break
    return w_lng, w_lat


def gcj02_to_bd09(lng: float, lat: float) -> tuple[float, float]:
    if out_of_china(lng, lat):
        return lng, lat
    z = math.sqrt(lng * lng + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * _X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def bd09_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    if out_of_china(lng, lat):
        return lng, lat
    # The published one-step inverse is off by up to 1e-6°; a few fixed-point steps make it exact.
    x, y = lng - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    g_lng, g_lat = z * math.cos(theta), z * math.sin(theta)
    for _step in range(10):
        b_lng, b_lat = gcj02_to_bd09(g_lng, g_lat)
        g_lng, g_lat = g_lng - (b_lng - lng), g_lat - (b_lat - lat)
        if abs(b_lng - lng) < 1e-12 and abs(b_lat - lat) < 1e-12:
            break
    return g_lng, g_lat


def wgs84_to_bd09(lng: float, lat: float) -> tuple[float, float]:
    return gcj02_to_bd09(*wgs84_to_gcj02(lng, lat))


def bd09_to_wgs84(lng: float, lat: float) -> tuple[float, float]:
    return gcj02_to_wgs84(*bd09_to_gcj02(lng, lat))


# ------------------------------------------------------------------------------------ navigation links

APP_SOURCE = "lianxin"  # the caller name the map apps' URI APIs ask for (src / referer)


@dataclass(frozen=True)
class NavLink:
    key: str  # amap, baidu, tencent, geo
    label: object
    url: str


def _fmt(value: float) -> str:
    return f"{value:.6f}"


def navigation_links(lng: float, lat: float, name: str = "") -> list[NavLink]:
    """Links that open a phone's map app at a WGS-84 point, each in the coordinates that app expects.

    - Amap: ``uri.amap.com/marker``, position=lng,lat in GCJ-02 (coordinate=gaode).
    - Baidu: ``api.map.baidu.com/marker``, location=lat,lng (latitude first) in BD-09 (coord_type=bd09ll).
    - Tencent: ``apis.map.qq.com/uri/v1/marker``, marker=coord:lat,lng (latitude first) in GCJ-02.
    - geo: URI (RFC 5870), geo:lat,lng in WGS-84, for whatever map app the phone prefers.
    """
    name = (name or "").strip() or str(_("Location"))
    g_lng, g_lat = wgs84_to_gcj02(lng, lat)
    b_lng, b_lat = wgs84_to_bd09(lng, lat)
    amap = "https://uri.amap.com/marker?" + urlencode({
        "position": f"{_fmt(g_lng)},{_fmt(g_lat)}", "name": name, "src": APP_SOURCE, "coordinate": "gaode",
        "callnative": "1",
    })
    baidu = "https://api.map.baidu.com/marker?" + urlencode({
        "location": f"{_fmt(b_lat)},{_fmt(b_lng)}", "title": name, "content": name, "coord_type": "bd09ll",
        "output": "html", "src": f"webapp.{APP_SOURCE}.{APP_SOURCE}",
    })
    # Tencent's marker value is "coord:…;title:…" with raw separators; the title may not contain them.
    title = quote(name.replace(";", " ").replace(":", " "), safe="")
    tencent = (f"https://apis.map.qq.com/uri/v1/marker?marker=coord:{_fmt(g_lat)},{_fmt(g_lng)};title:{title}"
               f"&referer={APP_SOURCE}")
    geo = f"geo:{_fmt(lat)},{_fmt(lng)}?q={_fmt(lat)},{_fmt(lng)}({quote(name, safe='')})"
    return [
        NavLink("amap", _("Amap"), amap),
        NavLink("baidu", _("Baidu Maps"), baidu),
        NavLink("tencent", _("Tencent Maps"), tencent),
        NavLink("geo", _("Other map app"), geo),
    ]
