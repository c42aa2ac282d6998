"""Escalation photos: a HEIC must be a HEIF image, not any ISO media file (MP4, MOV)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from quartier.errors import InvalidInput
from quartier.partners.cases.escalation import photos_check


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return (8 + len(body)).to_bytes(4, "big") + b"ftyp" + body + b"\x00" * 200


def _heic(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.heic", content, content_type="image/heic")


@pytest.mark.parametrize(
    "content",
    [
        _ftyp(b"heic", b"mif1", b"heic"),
        _ftyp(b"mif1", b"heic"),  # iPhone photos: major brand mif1
        _ftyp(b"msf1", b"mif1"),
        _ftyp(b"heix"),
    ],
)
def test_a_heif_image_passes(content):
    photos_check([_heic(content)])


@pytest.mark.parametrize(
    "content",
    [
        _ftyp(b"isom", b"isom", b"iso2", b"avc1", b"mp41"),  # an MP4 video
        _ftyp(b"qt  ", b"qt  "),  # a QuickTime movie
        _ftyp(b"M4A ", b"M4A ", b"mp42"),  # audio
        b"\x00\x00\x00\x08ftyp",  # a bare box
    ],
)
def test_another_iso_media_file_named_heic_is_refused(content):
    with pytest.raises(InvalidInput) as refused:
        photos_check([_heic(content)])
    assert refused.value.errors == {"photos.0": ["This file is not the image it claims to be."]}
