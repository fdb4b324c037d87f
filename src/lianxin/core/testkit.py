"""Small helpers for tests and for the apps' test-world extensions (``LianxinApp.extend_world``)."""

import io

from PIL import Image


def tiny_jpeg(color=(200, 30, 30), exif_gps: bool = False) -> bytes:
    img = Image.new("RGB", (40, 30), color)
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        gps = {1: "N", 2: (35.0, 24.0, 0.0), 3: "E", 4: (116.0, 35.0, 0.0)}
        exif[0x8825] = gps
        img.save(out, format="JPEG", exif=exif)
    else:
        img.save(out, format="JPEG")
    return out.getvalue()
