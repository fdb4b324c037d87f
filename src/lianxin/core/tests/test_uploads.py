"""The upload pipeline with real files made by Pillow, and the scoped download view."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image, ImageFile

from lianxin.core.models import StoredFile
from lianxin.core.uploads import store_upload
from lianxin.testing import tiny_jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type)


def image_bytes(size=(40, 30), mode="RGB", fmt="JPEG", color=(10, 120, 200), **save) -> bytes:
    img = Image.new(mode, size, color)
    out = io.BytesIO()
    img.save(out, format=fmt, **save)
    return out.getvalue()


def stored_image(stored: StoredFile) -> Image.Image:
    with stored.file.open("rb") as f:
        img = Image.open(io.BytesIO(f.read()))
        img.load()
    return img


def refused(data: bytes, name="photo.jpg", **kwargs) -> str:
    before = StoredFile.objects.count()
    with pytest.raises(ValidationError) as e:
        store_upload(upload(data, name), **kwargs)
    assert StoredFile.objects.count() == before
    return " ".join(e.value.messages)


# --- images -------------------------------------------------------------------------------------

def test_exif_gps_is_kept_on_the_row_and_stripped_from_the_file():
    data = tiny_jpeg(exif_gps=True)
    with Image.open(io.BytesIO(data)) as original:  # the input really carries GPS
        assert original.getexif().get_ifd(0x8825)
    stored = store_upload(upload(data, "IMG_0001.jpg"))
    stored.refresh_from_db()
    assert stored.exif_lat == pytest.approx(35.4)
    assert stored.exif_lng == pytest.approx(116 + 35 / 60)
    assert stored.content_type == "image/jpeg"
    assert stored.original_name == "IMG_0001.jpg"
    assert (stored.width, stored.height) == (40, 30)
    with stored.file.open("rb") as f:
        raw = f.read()
    assert stored.size == len(raw)
    assert b"Exif" not in raw and b"GPS" not in raw
    img = stored_image(stored)
    assert img.format == "JPEG"
    assert len(img.getexif()) == 0
    assert "exif" not in img.info
    assert stored.file.name.endswith(".jpg")


def test_photo_without_exif_has_no_location():
    stored = store_upload(upload(tiny_jpeg()))
    assert stored.exif_lat is None and stored.exif_lng is None and stored.taken_at is None


def test_taken_at_and_orientation_are_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    exif[0x0132] = "2025:06:01 08:30:00"
    stored = store_upload(upload(image_bytes(size=(40, 30), exif=exif)))
    assert (stored.width, stored.height) == (30, 40)  # turned upright
    assert stored.taken_at is not None
    assert stored.taken_at.isoformat() == "2025-06-01T08:30:00+08:00"
    assert len(stored_image(stored).getexif()) == 0


def test_large_image_is_downscaled(settings):
    assert settings.UPLOAD_IMAGE_MAX_SIDE == 2048
    stored = store_upload(upload(image_bytes(size=(5000, 3000), quality=50)))
    img = stored_image(stored)
    assert max(img.size) == 2048
    assert img.size == (stored.width, stored.height)
    assert img.height == pytest.approx(2048 * 3000 / 5000, abs=1)


def test_downscale_follows_the_setting(settings):
    settings.UPLOAD_IMAGE_MAX_SIDE = 100
    stored = store_upload(upload(image_bytes(size=(300, 600), fmt="PNG"), "tall.png"))
    assert (stored.width, stored.height) == (50, 100)


def test_png_with_alpha_stays_png():
    img = Image.new("RGBA", (20, 20), (255, 0, 0, 255))
    img.putpixel((0, 0), (0, 0, 0, 0))
    out = io.BytesIO()
    img.save(out, format="PNG")
    stored = store_upload(upload(out.getvalue(), "logo.png", "image/png"))
    assert stored.content_type == "image/png"
    assert stored.file.name.endswith(".png")
    back = stored_image(stored)
    assert back.format == "PNG"
    assert back.mode == "RGBA"
    assert back.getpixel((0, 0))[3] == 0
    assert back.getpixel((5, 5)) == (255, 0, 0, 255)


@pytest.mark.parametrize("mode, fmt, color", [
    ("LA", "PNG", (100, 128)),
    ("P", "PNG", 3),
    ("I;16", "PNG", 1000),
    ("1", "PNG", 1),
    ("L", "JPEG", 100),
    ("CMYK", "JPEG", (0, 50, 100, 0)),
    ("RGB", "WEBP", (1, 2, 3)),
    ("RGBA", "WEBP", (1, 2, 3, 100)),
    ("P", "GIF", 5),
    ("RGB", "BMP", (1, 2, 3)),
])
def test_other_image_modes_are_re_encoded(mode, fmt, color):
    stored = store_upload(upload(image_bytes(mode=mode, fmt=fmt, color=color), f"x.{fmt.lower()}"))
    img = stored_image(stored)
    assert img.format in ("JPEG", "PNG")
    assert stored.content_type == f"image/{img.format.lower()}"
    assert img.size == (40, 30)


def test_same_content_is_stored_with_its_digest():
    a = store_upload(upload(tiny_jpeg()))
    b = store_upload(upload(tiny_jpeg()))
    assert a.sha256 == b.sha256 and len(a.sha256) == 64
    assert a.pk != b.pk


# --- refusals -----------------------------------------------------------------------------------

def test_text_file_named_jpg_is_refused():
    message = refused(b"hello, this is not a picture\n" * 10, "holiday.jpg")
    assert message == "The file is not a picture we can read (JPEG, PNG or WebP)."


def test_truncated_jpeg_is_refused():
    data = image_bytes(size=(400, 300))
    assert "not a picture we can read" in refused(data[: len(data) // 2])


def test_oversized_file_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    data = image_bytes(size=(200, 200), quality=95)
    assert len(data) > 1000
    assert refused(data).startswith("The file is too large")
    settings.UPLOAD_MAX_BYTES = len(data)
    assert store_upload(upload(data)).size > 0  # exactly at the limit is fine


def test_empty_file_is_refused():
    assert refused(b"") == "The file is empty."


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture (a decompression bomb's first bytes)."""
    data = bytearray(image_bytes(size=(1, 1), fmt="PNG"))
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def test_png_header_claiming_a_huge_picture_is_refused():
    message = refused(_png_claiming(100_000, 100_000), "bomb.png")
    assert "not a picture we can read" in message or "too large" in message


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_decompression_bomb_is_refused_before_decoding(monkeypatch):
    def no_decoding(self, *args, **kwargs):
        raise AssertionError("an over-limit picture was decoded")

    # 40x30 = 1200 pixels: above MAX_IMAGE_PIXELS (1000) but below twice it, where Pillow only warns.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    refused(tiny_jpeg())
    refused(image_bytes(size=(100, 100), fmt="PNG"), "big.png")  # above twice the limit: Pillow raises


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_decompression_bomb_is_a_validation_error_not_a_crash(monkeypatch):
    """Forms show a ValidationError; any other exception would be a 500."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    for data in (_png_claiming(40, 30), _png_claiming(5000, 5000)):
        with pytest.raises(ValidationError) as e:
            store_upload(upload(data, "bomb.png"))
        assert e.value.code == "bad_image"


def _pdf() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10), (255, 255, 255)).save(out, format="PDF")
    data = out.getvalue()
    assert data.startswith(b"%PDF-")
    return data


def test_pdf_only_where_accepted():
    data = _pdf()
    assert refused(data, "minutes.pdf") == "This kind of file is not accepted here."
    assert refused(data, "minutes.pdf", accept=("image", "xlsx")) == "This kind of file is not accepted here."
    stored = store_upload(upload(data, "minutes.pdf", "application/pdf"), accept=("image", "pdf"))
    assert stored.content_type == "application/pdf"
    assert stored.file.name.endswith(".pdf")
    assert stored.width is None and stored.exif_lat is None
    with stored.file.open("rb") as f:
        assert f.read() == data  # documents are stored as sent


def test_image_refused_where_only_documents_are_accepted():
    assert refused(tiny_jpeg(), accept=("pdf",)) == "This kind of file is not accepted here."


def test_xlsx_sniffed_by_content():
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    stored = store_upload(upload(out.getvalue(), "sheet.bin", "application/octet-stream"), accept=("xlsx",))
    assert stored.content_type.endswith("spreadsheetml.sheet")
    assert refused(b"PK\x03\x04 not really a zip", "sheet.xlsx", accept=("xlsx",)) == (
        "This kind of file is not accepted here.")


# --- download -----------------------------------------------------------------------------------

def test_download_is_scoped_to_the_area(world, persona_client):
    own, sibling = world.files["3708010101"], world.files["3708010102"]
    client = persona_client("community_staff")
    response = client.get(reverse("core:file", args=[own.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    with own.file.open("rb") as f:
        assert body == f.read()
    assert client.get(reverse("core:file", args=[sibling.pk])).status_code == 404
    assert client.get(reverse("core:file", args=[world.files["3708020101"].pk])).status_code == 404
    # the county sees both communities
    county = persona_client("county_staff")
    assert county.get(reverse("core:file", args=[sibling.pk])).status_code == 200


def test_download_of_a_document_is_an_attachment(world, persona_client):
    stored = store_upload(upload(_pdf(), "a.pdf", "application/pdf"), accept=("pdf",),
                          area=world.areas["3708010101"])
    response = persona_client("community_staff").get(reverse("core:file", args=[stored.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


def test_download_needs_login(world, client):
    response = client.get(reverse("core:file", args=[world.files["3708010101"].pk]))
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert reverse("accounts:login") in response["Location"]


def test_owner_sees_own_upload_outside_their_grants(world, persona_client):
    resident = world.users["resident"]
    stored = store_upload(upload(tiny_jpeg()), owner=resident, area=world.areas["3708020101"])
    assert persona_client("resident").get(reverse("core:file", args=[stored.pk])).status_code == 200


def test_a_picture_of_too_many_pixels_is_refused_on_its_header(monkeypatch, settings):
    """257 KB can hold a 9400x9400 PNG (88 megapixels, under Pillow's own bomb limit): refused before decoding."""
    def no_decoding(self, *args, **kwargs):
        raise AssertionError("an over-limit picture was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with pytest.raises(ValidationError) as e:
        store_upload(upload(_png_claiming(9400, 9400), "bomb.png"))
    assert e.value.code == "too_many_pixels"
    assert "9400×9400" in " ".join(e.value.messages)
    settings.UPLOAD_IMAGE_MAX_PIXELS = 100 * 100
    monkeypatch.undo()
    assert store_upload(upload(image_bytes(size=(100, 100), fmt="PNG"), "edge.png")).width == 100
    with pytest.raises(ValidationError):
        store_upload(upload(image_bytes(size=(101, 100), fmt="PNG"), "over.png"))
