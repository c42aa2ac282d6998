"""All of a person's data in one zip: a JSON file per context and a README that says
what each holds. Built in memory: one person's data is small."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone

from .registry import CONTEXTS

README = """Your data at Quartier, exported {when}.

One JSON file per part of Quartier that holds data about you:
{files}

Other people's data (the other party of a booking, a helper's reviews of you) appears only
where it is part of your own records. Issued invoices and the bank files of payouts are
kept for the legal retention period (Switzerland 10 years, Germany 8 years, from the end of
the year) even after your account is deleted: no longer shown or used, then deleted.
"""


def export_zip(user_id: int, *, now: datetime | None = None) -> bytes:
    when = (now or timezone.now()).isoformat(timespec="seconds")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, context in CONTEXTS.items():
            data = context.export(user_id)
            archive.writestr(
                f"{name}.json",
                json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
            )
        files = "\n".join(f"- {name}.json" for name in CONTEXTS)
        archive.writestr("README.txt", README.format(when=when, files=files))
    return buffer.getvalue()


def export_download(user_id: int) -> HttpResponse:
    """The zip as a download named by today's date (the web page and the API both serve it)."""
    response = HttpResponse(export_zip(user_id), content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="quartier-data-{stamp}.zip"'
    return response
