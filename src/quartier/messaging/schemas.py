from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class MessageIn(Schema):
    body: str = Field(
        ..., max_length=4000, description="Contact details are masked before booking."
    )


class MessageOut(Schema):
    id: int
    sender_id: int
    mine: bool
    body: str = Field(description='Empty when removed by moderation ("removed": true).')
    masked: bool = Field(description="E-mail addresses or phone numbers were hidden.")
    removed: bool
    created_at: datetime


class ReportIn(Schema):
    reason: str = Field(..., max_length=500)


class ReportOut(Schema):
    id: int
    message_id: int
    status: str
