"""Your own data by API: the export zip, and the deletion of your account (with a grace
period in which `DELETE /me/deletion` takes it back)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from quartier.accounts.auth import api_auth, current_user
from quartier.privacy.export import export_download
from quartier.privacy.services import deletion_cancel, deletion_request

router = Router(tags=["me"])


class DeletionIn(Schema):
    password: str


class DeletionOut(Schema):
    requested_at: datetime
    due_at: datetime


@router.get(
    "/me/export",
    auth=api_auth,
    operation_id="quartier_privacy_api_export",
    response={200: bytes},
    openapi_extra={
        "responses": {
            200: {
                "description": "A zip of JSON files, one per part of Quartier.",
                "content": {"application/zip": {}},
            }
        }
    },
)
def export(request: HttpRequest) -> HttpResponse:
    """Everything Quartier holds about you, as a zip of JSON files (GDPR / revDSG)."""
    return export_download(current_user(request).pk)


@router.post(
    "/me/deletion",
    auth=api_auth,
    response={202: DeletionOut},
    operation_id="quartier_privacy_api_request_deletion",
)
def request_deletion(request: HttpRequest, payload: DeletionIn) -> Status[DeletionOut]:
    """Schedule the deletion of your account after the grace period (your password
    confirms it); 409 `live_bookings` while a booking is open."""
    deletion = deletion_request(actor=current_user(request), password=payload.password)
    return Status(202, DeletionOut(requested_at=deletion.requested_at, due_at=deletion.due_at))


@router.delete(
    "/me/deletion",
    auth=api_auth,
    response={204: None},
    operation_id="quartier_privacy_api_cancel_deletion",
)
def cancel_deletion(request: HttpRequest) -> Status[None]:
    """Keep your account: cancels a scheduled deletion (404 when none is scheduled)."""
    deletion_cancel(actor=current_user(request))
    return Status(204, None)
