"""Real, tiny image files for upload tests (photos are decoded and re-encoded when stored)."""

from __future__ import annotations

import io

from PIL import Image

#: EXIF tags: GPS info pointer, orientation; GPS latitude ref/latitude.
GPS_IFD, ORIENTATION = 0x8825, 0x0112


def image_bytes(kind: str = "JPEG", *, gps: bool = False, size: tuple[int, int] = (8, 6)) -> bytes:
    """A small picture in `kind` (JPEG, PNG, WEBP); with `gps`, EXIF naming where it was taken."""
    picture = Image.new("RGB", size, (200, 80, 40))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (47.0, 22.0, 30.0), 3: "E", 4: (8.0, 32.0, 0.0)})
        exif[ORIENTATION] = 6  # taken sideways: shown turned by 90°
        picture.save(out, kind, exif=exif)
    else:
        picture.save(out, kind)
    return out.getvalue()


JPEG = image_bytes("JPEG")
PNG = image_bytes("PNG")


def picture_size(data: bytes) -> tuple[int, int]:
    """The width and height of the picture in `data` (stored photos are re-encoded, so
    their bytes differ from the upload's)."""
    return Image.open(io.BytesIO(data)).size
