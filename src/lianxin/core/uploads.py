"""The upload pipeline every module uses for photos and documents.

Type is decided by content, never by name or header; images are decoded, turned upright, downscaled,
and re-encoded without metadata, so the file others download carries no location. The location found
in the photo's EXIF is kept on the StoredFile row for staff who need it.
"""

import hashlib
import io
import zipfile
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import StoredFile

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
GPS_IFD = 0x8825
EXIF_IFD = 0x8769


def _read_limited(uploaded, limit: int) -> bytes:
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("The file is too large: at most %(mb)d MB.") % {"mb": limit // (1024 * 1024)}, code="too_large"
        )
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    return data


def sniff_document(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "xlsx"
    return None


def _gps_degrees(values, ref) -> float | None:
    try:
        deg = float(values[0]) + float(values[1]) / 60 + float(values[2]) / 3600
    except (TypeError, ValueError, IndexError, ZeroDivisionError):
        return None
    return -deg if ref in ("S", "W") else deg


def exif_location(img: Image.Image) -> tuple[float | None, float | None, datetime | None]:
    try:
        exif = img.getexif()
        gps = exif.get_ifd(GPS_IFD)
        taken = exif.get_ifd(EXIF_IFD).get(0x9003) or exif.get(0x0132)
    except Exception:  # corrupt EXIF is common on phones; the picture itself is still fine
        return None, None, None
    lat = _gps_degrees(gps.get(2), gps.get(1)) if gps else None
    lng = _gps_degrees(gps.get(4), gps.get(3)) if gps else None
    taken_at = None
    if isinstance(taken, str):
        try:
            taken_at = timezone.make_aware(datetime.strptime(taken.strip("\x00 "), "%Y:%m:%d %H:%M:%S"))
        except ValueError:
            taken_at = None
    return lng, lat, taken_at


def _reencode_image(data: bytes) -> tuple[bytes, str, int, int, tuple]:
    side = settings.UPLOAD_IMAGE_MAX_SIDE
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            # A small file can claim a huge picture (9400x9400 in 257 KB): the pixel count bounds a decode's
            # memory, so it is checked on the header, before anything is decoded.
            if probe.width * probe.height > settings.UPLOAD_IMAGE_MAX_PIXELS:
                raise ValidationError(
                    _("The picture is too large (%(width)s×%(height)s pixels; at most %(mp)s megapixels)."),
                    code="too_many_pixels", params={"width": probe.width, "height": probe.height,
                                                    "mp": settings.UPLOAD_IMAGE_MAX_PIXELS // 1_000_000})
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: refuse before decoding.
            if Image.MAX_IMAGE_PIXELS and probe.width * probe.height > Image.MAX_IMAGE_PIXELS:
                raise Image.DecompressionBombError(f"{probe.width}x{probe.height} pixels")
            probe.verify()
        img = Image.open(io.BytesIO(data))
        if img.format == "JPEG":
            img.draft("RGB", (side, side))  # decode at a reduced scale: a fraction of the memory of the full picture
        img.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as e:
        raise ValidationError(_("The file is not a picture we can read (JPEG, PNG or WebP)."), code="bad_image") from e
    if fmt not in IMAGE_FORMATS:
        raise ValidationError(_("This picture format is not accepted: use JPEG, PNG or WebP."), code="bad_image")
    located = exif_location(img)
    img = ImageOps.exif_transpose(img)
    img.thumbnail((side, side))
    out = io.BytesIO()
    if img.mode in ("RGBA", "LA", "P") and fmt == "PNG":
        img.save(out, format="PNG", optimize=True)
        content_type = "image/png"
    else:
        img.convert("RGB").save(out, format="JPEG", quality=82, optimize=True)
        content_type = "image/jpeg"
    return out.getvalue(), content_type, img.width, img.height, located


def store_upload(uploaded, *, owner=None, area=None, accept=("image",)) -> StoredFile:
    """Run an uploaded file through the pipeline; ``accept`` names kinds: image, pdf, xlsx."""
    data = _read_limited(uploaded, settings.UPLOAD_MAX_BYTES)
    name = (getattr(uploaded, "name", "") or "")[-200:]
    document = sniff_document(data)
    if document:
        if document not in accept:
            raise ValidationError(_("This kind of file is not accepted here."), code="bad_type")
        content, content_type, width, height, located = data, DOCUMENT_TYPES[document], None, None, (None,) * 3
        ext = document
    else:
        if "image" not in accept:
            raise ValidationError(_("This kind of file is not accepted here."), code="bad_type")
        content, content_type, width, height, located = _reencode_image(data)
        ext = "png" if content_type == "image/png" else "jpg"
    digest = hashlib.sha256(content).hexdigest()
    stored = StoredFile(
        original_name=name, content_type=content_type, size=len(content), sha256=digest,
        width=width, height=height, exif_lng=located[0], exif_lat=located[1], taken_at=located[2],
        owner=owner, area=area,
    )
    stored.file.save(f"{digest[:16]}.{ext}", ContentFile(content), save=False)
    stored.save()
    return stored
