"""People API: register, log in/out, own profile, helper and pro profiles, public helpers.

An interface beside the router mounts: it combines accounts with their skills (catalog) and
scores (reviews), which sit on both sides of accounts in the layers. Operation ids keep the
names they had in `accounts.api`.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from quartier.accounts.auth import api_auth, current_user
from quartier.accounts.backends import login_retry_after
from quartier.accounts.models import HelperProfile, ProProfile, User
from quartier.accounts.schemas import (
    ApiTokenOut,
    HelperProfileIn,
    HelperProfileOut,
    HelperPublicOut,
    HelperSkillOut,
    HelperSkillsIn,
    LoginIn,
    LoginOut,
    MeIn,
    ProProfileIn,
    ProProfileOut,
    RegisteredOut,
    RegisterIn,
    SkillPricesIn,
    StaffIn,
    UserOut,
)
from quartier.accounts.selectors import api_token_list_for, helper_profile_get
from quartier.accounts.self_service import profile_update
from quartier.accounts.services import (
    api_token_create,
    api_token_revoke,
    api_token_revoke_own,
    helper_profile_upsert,
    pro_profile_upsert,
    user_register,
)
from quartier.accounts.suspension import suspension_appeal
from quartier.catalog.selectors import helper_skill_list
from quartier.catalog.services import helper_skill_prices_set, helper_skills_set
from quartier.errors import (
    Conflict,
    NotAuthenticated,
    NotFound,
    TooManyAttempts,
    UnsupportedMediaType,
)
from quartier.notifications.account_mail import verification_send
from quartier.notifications.links import Page, page_url
from quartier.notifications.services import signup_existing_notify
from quartier.reviews.models import Direction
from quartier.reviews.selectors import helper_skill_scores, user_score
from quartier.vetting.selectors import verified_helper_ids

router = Router(tags=["accounts"])


def user_out(user: User) -> UserOut:
    return UserOut(
        id=user.pk,
        email=user.email,
        full_name=user.full_name,
        phone=user.phone,
        preferred_language=user.preferred_language,
        roles=user.roles,
        is_operator=user.is_staff,
        date_joined=user.date_joined,
        email_verified=user.email_verified,
        photo_url=photo_url(user),
    )


def photo_url(user: User) -> str | None:
    """Where the member's profile photo is served (the name changes with each upload)."""
    if not user.photo:
        return None
    url = page_url(Page.MEMBER_PHOTO, user.pk)
    version = hashlib.sha256(user.photo.name.encode()).hexdigest()[:8]
    return f"{url}?v={version}" if url else None


def helper_profile_out(profile: HelperProfile) -> HelperProfileOut:
    return HelperProfileOut(
        user_id=profile.user_id,
        bio=profile.bio,
        languages=profile.languages,
        country=profile.country,
        postcode=profile.postcode,
        locality=profile.locality,
        service_radius_km=profile.service_radius_km,
        hourly_rate_minor=profile.hourly_rate_minor,
        currency=profile.currency,
        contractor_terms_accepted_at=profile.contractor_terms_accepted_at,
        is_available=profile.is_available,
        is_suspended=profile.suspended_at is not None,
        suspension_reason=profile.suspension_reason if profile.suspended_at else "",
    )


def _skills_out(helper_id: int) -> list[HelperSkillOut]:
    scores = helper_skill_scores(helper_id=helper_id)
    profile_rate = (
        HelperProfile.objects.filter(user_id=helper_id)
        .values_list("hourly_rate_minor", flat=True)
        .first()
    )
    out = []
    for hs in helper_skill_list(helper_id=helper_id):
        score = scores.get(hs.skill.slug)
        out.append(
            HelperSkillOut(
                skill=hs.skill.slug,
                name=hs.skill.name,
                level=hs.level,
                rating_average=round(score.average, 2) if score else 0.0,
                rating_count=score.count if score else 0,
                hourly_rate_minor=hs.hourly_rate_minor or profile_rate,
                own_rate=hs.hourly_rate_minor is not None,
                fixed_price_minor=hs.fixed_price_minor,
                fixed_duration_minutes=hs.fixed_duration_minutes,
            )
        )
    return out


REGISTERED = "Thanks! Log in with your e-mail address and password. If the address had an \
account already, nothing new was created and we e-mailed its owner instead."


@router.post(
    "/auth/register",
    response={201: RegisteredOut},
    auth=None,
    operation_id="quartier_accounts_api_register",
)
def register(request: HttpRequest, payload: RegisterIn) -> Status[RegisteredOut]:
    """Open an account. The answer does not tell whether the address had one already (then
    its owner gets an e-mail): log in next. Opening an account accepts the terms of use
    (`/legal/terms`) and acknowledges the privacy notice (`/legal/privacy`) in their current
    versions; show both next to your sign-up button."""
    try:
        verification_send(user_register(**payload.dict()))
    except Conflict as taken:
        if taken.code != "email_taken":
            raise
        signup_existing_notify(email=payload.email)
    return Status(201, RegisteredOut(email=payload.email.strip().lower(), detail=REGISTERED))


@router.post(
    "/auth/login", response=LoginOut, auth=None, operation_id="quartier_accounts_api_log_in"
)
def log_in(request: HttpRequest, payload: LoginIn) -> LoginOut:
    """Starts a browser session and returns a bearer token for API clients.

    The body must be `application/json`: a cross-site form (text/plain, urlencoded,
    multipart) cannot send that without the browser asking first, so no other site can log
    a visitor in to an account of its choosing (login CSRF)."""
    if request.content_type != "application/json":
        raise UnsupportedMediaType("Send the log-in as application/json.", code="json_required")
    user = authenticate(request, username=payload.email.strip().lower(), password=payload.password)
    if not isinstance(user, User):
        if wait := login_retry_after(request):
            raise TooManyAttempts(
                f"Too many failed log-ins; try again in {wait} seconds.", retry_after=wait
            )
        raise NotAuthenticated("E-mail or password is wrong.", code="bad_credentials")
    login(request, user)
    return LoginOut(token=api_token_create(user=user), user=user_out(user))


@router.post(
    "/auth/logout",
    response={204: None},
    auth=api_auth,
    operation_id="quartier_accounts_api_log_out",
)
def log_out(request: HttpRequest) -> Status[None]:
    """Ends the session and revokes the bearer token used for this call, if any."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        api_token_revoke(raw=header[7:].strip())
    logout(request)
    return Status(204, None)


@router.get("/me", response=UserOut, auth=api_auth, operation_id="quartier_accounts_api_me")
def me(request: HttpRequest) -> UserOut:
    return user_out(current_user(request))


@router.patch(
    "/me", response=UserOut, auth=api_auth, operation_id="quartier_accounts_api_update_me"
)
def update_me(request: HttpRequest, payload: MeIn) -> UserOut:
    """Change your name, phone or preferred language (fields left out stay as they are);
    the e-mail address and password have their own operations (`/me/email`, `/me/password`)."""
    return user_out(profile_update(actor=current_user(request), **payload.dict()))


@router.get(
    "/me/tokens",
    response=list[ApiTokenOut],
    auth=api_auth,
    operation_id="quartier_accounts_api_list_tokens",
)
def list_tokens(request: HttpRequest) -> list[ApiTokenOut]:
    """Your live API tokens (from `POST /auth/login`): never their secrets."""
    return [
        ApiTokenOut(
            id=token.pk,
            prefix=token.prefix,
            created_at=token.created_at,
            last_used_at=token.last_used_at,
            expires_at=token.expires_at,
        )
        for token in api_token_list_for(actor=current_user(request))
    ]


@router.delete(
    "/me/tokens/{token_id}",
    response={204: None},
    auth=api_auth,
    operation_id="quartier_accounts_api_revoke_token",
)
def revoke_token(request: HttpRequest, token_id: int) -> Status[None]:
    """Revoke one of your API tokens (e.g. of a lost phone); anyone else's is a 404."""
    api_token_revoke_own(actor=current_user(request), token_id=token_id)
    return Status(204, None)


@router.put(
    "/me/helper-profile",
    response=HelperProfileOut,
    auth=api_auth,
    operation_id="quartier_accounts_api_put_helper_profile",
)
def put_helper_profile(request: HttpRequest, payload: HelperProfileIn) -> HelperProfileOut:
    profile = helper_profile_upsert(actor=current_user(request), **payload.dict())
    return helper_profile_out(profile)


@router.get(
    "/me/helper-profile",
    response=HelperProfileOut,
    auth=api_auth,
    operation_id="quartier_accounts_api_get_helper_profile",
)
def get_helper_profile(request: HttpRequest) -> HelperProfileOut:
    profile = HelperProfile.objects.filter(user=current_user(request)).first()
    if profile is None:
        raise NotFound("You have no helper profile yet.")
    return helper_profile_out(profile)


@router.put(
    "/me/skills",
    response=list[HelperSkillOut],
    auth=api_auth,
    operation_id="quartier_accounts_api_put_skills",
)
def put_skills(request: HttpRequest, payload: HelperSkillsIn) -> list[HelperSkillOut]:
    user = current_user(request)
    helper_skills_set(actor=user, skills=[(s.skill, s.level) for s in payload.skills])
    return _skills_out(user.pk)


@router.put(
    "/me/skills/{skill}/prices",
    response=list[HelperSkillOut],
    auth=api_auth,
    operation_id="quartier_accounts_api_put_skill_prices",
)
def put_skill_prices(
    request: HttpRequest, skill: str, payload: SkillPricesIn
) -> list[HelperSkillOut]:
    """Your prices for one skill you offer: its own hourly rate (null: your profile's) and
    a fixed price for a standard job, which customers can book at once."""
    user = current_user(request)
    helper_skill_prices_set(
        actor=user,
        skill=skill,
        hourly_rate_minor=payload.hourly_rate_minor,
        fixed_price_minor=payload.fixed_price_minor,
        fixed_duration_minutes=payload.fixed_duration_minutes,
    )
    return _skills_out(user.pk)


@router.put(
    "/me/pro-profile",
    response=ProProfileOut,
    auth=api_auth,
    operation_id="quartier_accounts_api_put_pro_profile",
)
def put_pro_profile(request: HttpRequest, payload: ProProfileIn) -> ProProfileOut:
    profile = pro_profile_upsert(
        actor=current_user(request),
        company_name=payload.company_name,
        uid=payload.uid,
        staff=[(s.full_name, s.email) for s in payload.staff],
    )
    return _pro_out(profile)


def _pro_out(profile: ProProfile) -> ProProfileOut:
    return ProProfileOut(
        company_name=profile.company_name,
        uid=profile.uid,
        staff=[StaffIn(full_name=s.full_name, email=s.email) for s in profile.staff.all()],
    )


@router.get(
    "/helpers/{helper_id}",
    response=HelperPublicOut,
    auth=None,
    operation_id="quartier_accounts_api_helper_public",
)
def helper_public(request: HttpRequest, helper_id: int) -> HelperPublicOut:
    """A helper's public profile: no address, no contact details."""
    profile = helper_profile_get(helper_id=helper_id)
    overall = user_score(user_id=helper_id, direction=Direction.CUSTOMER_TO_HELPER)
    pro = ProProfile.objects.filter(user_id=helper_id).first()
    return HelperPublicOut(
        id=helper_id,
        name=profile.user.full_name,
        locality=profile.locality,
        country=profile.country,
        bio=profile.bio,
        languages=profile.languages,
        hourly_rate_minor=profile.hourly_rate_minor,
        currency=profile.currency,
        rating_average=round(overall.average, 2),
        rating_count=overall.count,
        skills=_skills_out(helper_id),
        company_name=pro.company_name if pro else None,
        verified=bool(verified_helper_ids([helper_id])),
        photo_url=photo_url(profile.user),
    )


class AppealIn(Schema):
    text: str = Field(max_length=2000, description="Why the suspension is not right.")


class AppealOut(Schema):
    reason: str
    text: str
    created_at: datetime
    answer: str
    answered_at: datetime | None
    reinstated: bool


@router.post(
    "/me/suspension-appeal",
    response={201: AppealOut},
    auth=api_auth,
    operation_id="quartier_accounts_api_suspension_appeal",
)
def suspension_appeal_post(request: HttpRequest, payload: AppealIn) -> Status[AppealOut]:
    """A suspended helper answers the suspension, once; an operator reads it and replies by
    e-mail (409 when not suspended or answered already)."""
    appeal = suspension_appeal(actor=current_user(request), text=payload.text)
    return Status(201, AppealOut.from_orm(appeal))
