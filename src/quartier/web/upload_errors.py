"""What is wrong with an uploaded file, in the visitor's language (codes from quartier.uploads)."""

from __future__ import annotations

from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from quartier.uploads import DOCUMENTS, MB, PHOTOS


def upload_words() -> dict[str, Any]:
    """BY_CODE entries for every upload rule's problems."""
    return {
        PHOTOS.code("too_many"): format_lazy(
            _("At most {count} photos at once."), count=PHOTOS.max_count
        ),
        PHOTOS.code("wrong_type"): _("Only photos: JPEG, PNG, WebP or HEIC."),
        PHOTOS.code("too_large"): format_lazy(
            _("A photo may be at most {mb} MB."), mb=PHOTOS.max_bytes // MB
        ),
        PHOTOS.code("not_what_it_claims"): _("This file is not the photo its name says."),
        DOCUMENTS.code("too_many"): format_lazy(
            _("At most {count} documents at once."), count=DOCUMENTS.max_count
        ),
        DOCUMENTS.code("wrong_type"): _(
            "Only PDF documents or photos: PDF, JPEG, PNG, WebP or HEIC."
        ),
        DOCUMENTS.code("too_large"): format_lazy(
            _("A document may be at most {mb} MB."), mb=DOCUMENTS.max_bytes // MB
        ),
        DOCUMENTS.code("not_what_it_claims"): _("This file is not the document its name says."),
    }
