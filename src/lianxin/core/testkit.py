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


def xlsx_bytes(headers, rows) -> bytes:
    """A workbook of one sheet: the header row, then ``rows`` (what a person would upload)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_values(content: bytes) -> list[tuple]:
    """The first sheet of a workbook (an export, a template) as rows of values, the header first."""
    from openpyxl import load_workbook

    return list(load_workbook(io.BytesIO(content)).worksheets[0].values)


def exported_rows(client, url: str) -> list[tuple]:
    """GET an Excel export and read it back: its rows of values, the header first."""
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    return xlsx_values(b"".join(response) if response.streaming else response.content)
