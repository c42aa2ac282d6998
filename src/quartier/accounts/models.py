"""People: users with e-mail log-in, their roles, and the helper / pro profiles."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone


class Role(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    HELPER = "helper", "Helper"
    PRO = "pro", "Pro (small business)"


class Currency(models.TextChoices):
    CHF = "CHF", "CHF"
    EUR = "EUR", "EUR"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone with a log-in. Every user can act as a customer; roles add helper / pro sides."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    phone = models.CharField(max_length=32, blank=True)
    preferred_language = models.CharField(max_length=8, default="de")
    is_customer = models.BooleanField(default=True)
    is_helper = models.BooleanField(default=False)
    is_pro = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Operator: may use the back office.")
    date_joined = models.DateTimeField(default=timezone.now)
    # When the owner proved the address is theirs (a link e-mailed to it); no booking before.
    email_verified_at = models.DateTimeField(null=True, blank=True)
    # As uploaded (checked by quartier.uploads), served by a view: a helper's to everyone.
    # db_default: rows that code predating the column writes (older migrations' models,
    # raw inserts) still go in.
    photo = models.FileField(upload_to="accounts/photos/%Y/%m/", blank=True, db_default="")

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["id"]
        constraints = [
            # Every path stores addresses lower-cased; the index makes sure of it, so that
            # two accounts can never hold one address in different case.
            models.UniqueConstraint(Lower("email"), name="user_email_unique_any_case"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def roles(self) -> list[str]:
        flags = {
            Role.CUSTOMER: self.is_customer,
            Role.HELPER: self.is_helper,
            Role.PRO: self.is_pro,
        }
        return [role.value for role, held in flags.items() if held]

    @property
    def first_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else ""


class HelperProfile(models.Model):
    """The provider side of a user: where, how far and at what rate they work."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="helper_profile")
    bio = models.TextField(blank=True)
    languages = models.JSONField(default=list, help_text="ISO 639-1 codes, e.g. ['de', 'en'].")
    country = models.CharField(max_length=2)
    postcode = models.CharField(max_length=10)
    locality = models.CharField(max_length=100)
    latitude = models.FloatField()
    longitude = models.FloatField()
    h3_cell = models.BigIntegerField(db_index=True)
    service_radius_km = models.PositiveSmallIntegerField()
    hourly_rate_minor = models.PositiveIntegerField(help_text="In minor units (Rappen / Cent).")
    currency = models.CharField(max_length=3, choices=Currency.choices)
    contractor_terms_accepted_at = models.DateTimeField(null=True, blank=True)
    is_available = models.BooleanField(default=True, help_text="Helper's own pause switch.")
    suspended_at = models.DateTimeField(null=True, blank=True, help_text="Set by operators.")
    suspension_reason = models.CharField(max_length=200, blank=True)
    # Set by compliance (§ 23 PStTG): the tax-reporting data is still missing after two
    # reminders, so the helper takes no new bookings until it is complete. Kept here, low in
    # the layers, so matching, dispatch and bookings can read it without importing upward.
    tax_data_hold_since = models.DateTimeField(
        null=True, blank=True, help_text="No new bookings until the tax data is complete."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(service_radius_km__gte=1), name="helper_radius_at_least_1km"
            ),
            models.CheckConstraint(
                condition=Q(currency__in=["CHF", "EUR"]), name="helper_currency_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.full_name} ({self.postcode} {self.locality})"

    @property
    def is_matchable(self) -> bool:
        return (
            self.is_available
            and self.suspended_at is None
            and self.tax_data_hold_since is None
            and self.contractor_terms_accepted_at is not None
            and self.user.is_active
        )


class ProProfile(models.Model):
    """A small business: company data on top of the user's helper profile."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="pro_profile")
    company_name = models.CharField(max_length=200)
    uid = models.CharField(
        max_length=20, help_text="Swiss UID (CHE-123.456.789) or German VAT ID (DE123456789)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.company_name


class StaffMember(models.Model):
    pro = models.ForeignKey(ProProfile, on_delete=models.CASCADE, related_name="staff")
    full_name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.full_name


class ApiToken(models.Model):
    """A bearer token for API clients. Only a SHA-256 of the secret is stored.

    A token works until `expires_at` (fixed, QUARTIER_API_TOKEN_DAYS after log-in) and only
    while the user's password is the one it was issued under (`password_marker`, an HMAC of
    the password hash): any password change, by whatever path, revokes every token.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=12, help_text="First characters, to recognise a token.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    password_marker = models.CharField(max_length=64, editable=False)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user.email})"


class PendingContact(models.Model):
    """Someone a partner opened a case for whose e-mail already has an account.

    Nothing unauthenticated is bound to an existing account: until the address's owner
    confirms by the e-mailed link, the case's request has no customer and runs on this
    contact (name and phone as the partner gave them), never on the account's own data.
    """

    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    phone = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        state = "confirmed" if self.confirmed_at else "pending"
        return f"{self.full_name} <{self.email}> ({state})"

    @property
    def first_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else ""


from .appeal_models import SuspensionAppeal  # noqa: E402, F401  (a model of this app)
from .legal_models import LegalAcceptance  # noqa: E402, F401  (a model of this app)
