from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

RoleName = Literal["customer", "helper", "pro"]


class RegisterIn(Schema):
    email: str = Field(max_length=254, examples=["anna@example.ch"])
    password: str = Field(min_length=1, max_length=128)
    full_name: str = Field(max_length=150, examples=["Anna Muster"])
    roles: list[RoleName] = Field(default=["customer"], min_length=1)
    phone: str = Field(default="", max_length=32)
    preferred_language: Literal["de", "en", "de-ch"] = "de"


class RegisteredOut(Schema):
    email: str
    detail: str = Field(
        description="The same whether or not the address had an account: if it had, nothing "
        "was created and its owner got an e-mail instead."
    )


class LoginIn(Schema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=128)


class UserOut(Schema):
    id: int
    email: str
    full_name: str
    phone: str
    preferred_language: str
    roles: list[str]
    is_operator: bool
    date_joined: datetime
    email_verified: bool = Field(description="Needed before the first booking.")
    photo_url: str | None = None


class MeIn(Schema):
    full_name: str | None = Field(default=None, max_length=150)
    phone: str | None = Field(default=None, max_length=32)
    preferred_language: Literal["de", "de-ch", "en"] | None = Field(
        default=None, description="E-mails and, once saved on the web, the pages use it."
    )


class LoginOut(Schema):
    token: str = Field(description="Bearer token for the Authorization header; shown once.")
    user: UserOut


class ApiTokenOut(Schema):
    id: int
    prefix: str = Field(description="The token's first characters, to recognise it.")
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime


class HelperProfileIn(Schema):
    country: Literal["CH", "DE"]
    postcode: str = Field(max_length=10, examples=["8004"])
    service_radius_km: int = Field(ge=1, le=1000, examples=[10])
    hourly_rate_minor: int = Field(ge=1, description="Minor units: 4500 = 45.00", examples=[4500])
    bio: str = Field(default="", max_length=2000)
    languages: list[str] = Field(default_factory=list, max_length=10, examples=[["de", "en"]])
    accept_contractor_terms: bool = Field(
        default=False,
        description="Confirms acting as an independent contractor; needed to be matched.",
    )


class HelperProfileOut(Schema):
    user_id: int
    bio: str
    languages: list[str]
    country: str
    postcode: str
    locality: str
    service_radius_km: int
    hourly_rate_minor: int
    currency: str
    contractor_terms_accepted_at: datetime | None
    is_available: bool
    is_suspended: bool
    suspension_reason: str = Field(
        "",
        description="Why an operator suspended the profile (answer it: POST "
        "/api/v1/me/suspension-appeal).",
    )


class StaffIn(Schema):
    full_name: str = Field(max_length=150)
    email: str = Field(default="", max_length=254)


class ProProfileIn(Schema):
    company_name: str = Field(max_length=200)
    uid: str = Field(max_length=20, examples=["CHE-123.456.789"])
    staff: list[StaffIn] = Field(default_factory=list, max_length=200)


class ProProfileOut(Schema):
    company_name: str
    uid: str
    staff: list[StaffIn]


class HelperSkillIn(Schema):
    skill: str = Field(examples=["tv-set-top-box"])
    level: Literal["basic", "experienced", "expert"]


class HelperSkillsIn(Schema):
    skills: list[HelperSkillIn] = Field(max_length=30)


class HelperSkillOut(Schema):
    skill: str
    name: str
    level: str
    rating_average: float
    rating_count: int
    hourly_rate_minor: int | None = Field(
        None, description="The rate for this skill: its own, else the profile's."
    )
    own_rate: bool = Field(False, description="The skill has its own hourly rate.")
    fixed_price_minor: int | None = Field(
        None, description='A fixed price for a standard job of this skill ("Book now").'
    )
    fixed_duration_minutes: int = 120


class SkillPricesIn(Schema):
    hourly_rate_minor: int | None = Field(
        None, description="This skill's own hourly rate; null: the profile's applies."
    )
    fixed_price_minor: int | None = Field(
        None, description='A fixed price for a standard job; null: no "Book now".'
    )
    fixed_duration_minutes: int = Field(120, description="How long the standard job takes.")


class HelperPublicOut(Schema):
    id: int
    name: str
    locality: str
    country: str
    bio: str
    languages: list[str]
    hourly_rate_minor: int
    currency: str
    rating_average: float
    rating_count: int
    skills: list[HelperSkillOut]
    company_name: str | None
    verified: bool = Field(
        default=False, description="An operator has checked the helper's identity."
    )
    photo_url: str | None = None
