"""Checking uploaded files before anything stores them.

A file is accepted only when its name's extension, the type the browser declared and its
first bytes agree: a renamed executable or an HTML page called `photo.jpg` never reaches
storage. Photos (requests, profiles, escalations) and documents (vetting) use the same
check with their own list of types. Photos are then re-encoded without their metadata
(`photos_cleaned`): a phone's EXIF names where the picture was taken — often the helper's or
customer's home — and the camera; others who see the photo must not learn that.

Stored files live under MEDIA_ROOT, readable by the
service's user only, and are served through views that check who asks — never under a
public URL.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from quartier.errors import InvalidInput, field_error

MB = 1024 * 1024

#: Extension -> content type; the file's first bytes must match the type too.
PHOTO_TYPES: Mapping[str, str] = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".heic": "image/heic",
}
DOCUMENT_TYPES: Mapping[str, str] = {**PHOTO_TYPES, ".pdf": "application/pdf"}

#: HEIF image brands (ISO/IEC 23008-12); an MP4 or QuickTime file is an ISO media file too.
HEIF_BRANDS = frozenset(
    {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
)


@dataclass(frozen=True)
class UploadRule:
    """What one upload field takes: which types, how many files, how large each."""

    types: Mapping[str, str]
    max_count: int
    max_bytes: int
    wrong_type: str
    #: What a file that is not what its name says is called in the error.
    noun: str

    def code(self, problem: str) -> str:
        """The stable error code the web words in the visitor's language: `photo_too_large`."""
        return f"{'photo' if self.noun == 'image' else 'document'}_{problem}"


PHOTOS = UploadRule(
    types=PHOTO_TYPES,
    max_count=5,
    max_bytes=8 * MB,
    wrong_type="Only photos: JPEG, PNG, WebP or HEIC.",
    noun="image",
)
DOCUMENTS = UploadRule(
    types=DOCUMENT_TYPES,
    max_count=3,
    max_bytes=10 * MB,
    wrong_type="Only PDF documents or photos: PDF, JPEG, PNG, WebP or HEIC.",
    noun="document",
)


def content_type_of(name: str, rule: UploadRule = PHOTOS) -> str | None:
    """The content type a file of this name must have under `rule`, None if not allowed."""
    return rule.types.get(PurePath(name or "").suffix.lower())


def looks_like(head: bytes, content_type: str) -> bool:
    """Whether a file's first bytes are those of `content_type`."""
    if content_type == "image/jpeg":
        return head.startswith(b"\xff\xd8\xff")
    if content_type == "image/png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if content_type == "image/webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if content_type == "application/pdf":
        return head.startswith(b"%PDF-")
    if content_type == "image/heic":
        return _is_heif(head)
    return False


def _is_heif(head: bytes) -> bool:
    """An ISO media file whose `ftyp` box names a HEIF brand, major or compatible."""
    if head[4:8] != b"ftyp":
        return False
    size = min(int.from_bytes(head[:4], "big"), len(head))
    brands = [head[8:12]] + [head[i : i + 4] for i in range(16, size - 3, 4)]
    return any(brand in HEIF_BRANDS for brand in brands)


def files_check(
    files: Sequence[UploadedFile], *, field: str = "photos", rule: UploadRule = PHOTOS
) -> None:
    """Raise InvalidInput naming each bad file (`photos.0`, …) unless every file passes `rule`."""
    if len(files) > rule.max_count:
        raise field_error(field, f"At most {rule.max_count} files.", code=rule.code("too_many"))
    errors: dict[str, list[str]] = {}
    codes: dict[str, str] = {}
    for index, upload in enumerate(files):
        problem = _problem(upload, rule)
        if problem is not None:
            errors[f"{field}.{index}"] = [problem[1]]
            codes[f"{field}.{index}"] = rule.code(problem[0])
    if errors:
        raise InvalidInput("Some files cannot be used.", errors=errors, field_codes=codes)


def _problem(upload: UploadedFile, rule: UploadRule) -> tuple[str, str] | None:
    """What is wrong with one file under `rule` (code suffix, English words), or None."""
    expected = content_type_of(upload.name or "", rule)
    if expected is None or upload.content_type != expected:
        return "wrong_type", rule.wrong_type
    if (upload.size or 0) > rule.max_bytes:
        return "too_large", f"A file may be at most {rule.max_bytes // MB} MB."
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    if not looks_like(head, expected):
        return "not_what_it_claims", f"This file is not the {rule.noun} it claims to be."
    return None


#: Pillow's format names for the photo types it can write; HEIC it can only pass through.
_ENCODERS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


def photos_cleaned(
    files: Sequence[UploadedFile], *, field: str = "photos", rule: UploadRule = PHOTOS
) -> list[UploadedFile]:
    """The files checked by `files_check`, then each re-encoded without metadata (EXIF,
    XMP, text chunks), turned upright as its EXIF orientation said. A file that passes the
    first-bytes check but cannot be decoded is refused like one that is not a photo."""
    files_check(files, field=field, rule=rule)
    cleaned: list[UploadedFile] = []
    for index, upload in enumerate(files):
        try:
            cleaned.append(_without_metadata(upload))
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
            message = f"This file is not the {rule.noun} it claims to be."
            raise InvalidInput(
                "Some files cannot be used.",
                errors={f"{field}.{index}": [message]},
                field_codes={f"{field}.{index}": rule.code("not_what_it_claims")},
            ) from error
    return cleaned


def _without_metadata(upload: UploadedFile) -> UploadedFile:
    encoder = _ENCODERS.get(upload.content_type or "")
    if encoder is None:  # HEIC: Pillow cannot write it; stored as uploaded
        return upload
    upload.seek(0)
    try:
        with Image.open(upload) as original:
            original.load()
            upright = ImageOps.exif_transpose(original)
    except UnidentifiedImageError as error:
        raise ValueError("not an image") from error
    if encoder == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    out = io.BytesIO()
    options: dict[str, object] = {"quality": 90} if encoder != "PNG" else {"optimize": True}
    if "icc_profile" in original.info:  # colours as the camera meant them; not personal
        options["icc_profile"] = original.info["icc_profile"]
    upright.save(out, encoder, **options)
    return SimpleUploadedFile(upload.name or "photo", out.getvalue(), upload.content_type or "")
