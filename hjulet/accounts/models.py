import hashlib
import secrets
import unicodedata
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hjulet.core.model_fields import (
    choices_constraint,
    municipality_field,
    person_field,
    version_field,
)
from hjulet.core.models import Term, TimeStamped, Vocabulary
from hjulet.lib.emails import InvalidEmail, canonical_email

from .validators import validate_org_number


class Role(models.TextChoices):
    """Platform roles, granted by an admin."""

    COORDINATOR = "coordinator", _("Coordinator")
    MODERATOR = "moderator", _("Moderator")
    RESEARCHER = "researcher", _("Researcher")
    ADMIN = "admin", _("Administrator")


def normalise_email(address: str) -> str:
    """An address as Hjulet stores it and writes to: as typed, in lower case, without
    compatibility characters (full-width letters, the long s). Accounts are found by
    ``canonical_email`` instead, which also folds case fully and encodes the domain."""
    return unicodedata.normalize("NFKC", address or "").strip().lower()


def canonical_or_none(address: str | None) -> str | None:
    try:
        return canonical_email(address or "")
    except InvalidEmail:
        return None


# What others see of a person who has not chosen a name yet.
UNNAMED_LABEL = _("Hjulet member")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def by_email(self, address: str | None) -> models.QuerySet["User"]:
        """The account (at most one) whose address is ``address`` in any spelling that is
        the same address; never one whose address only looks alike."""
        canonical = canonical_or_none(address)
        return self.none() if canonical is None else self.filter(email_canonical=canonical)

    def get_by_natural_key(self, username: str | None) -> "User":
        """Password login (``ModelBackend``) and natural keys find accounts by canonical
        address only: PostgreSQL's ``UPPER`` in ``email__iexact`` folds look-alike letters
        (``ı`` → ``I``) into other people's addresses."""
        return self.by_email(username).get()

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(**fields)
        user.set_email(email)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    # The one form of the address that accounts are found by (hjulet.lib.emails): login,
    # e-mail links, password reset, sign-up, invitations and rate limits all look up this.
    # Longer than ``email``: IDNA and case folding (ß → ss) can lengthen an address.
    email_canonical = models.CharField(
        _("canonical e-mail address"), max_length=320, unique=True, editable=False
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="sv"
    )
    email_verified_at = models.DateTimeField(_("e-mail verified"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.display_name

    def set_email(self, address: str) -> None:
        """Keep the address as typed (mail goes there) and its canonical form (accounts are
        found by it). An address without a canonical form is not an address."""
        try:
            self.email_canonical = canonical_email(address)
        except InvalidEmail:
            raise ValidationError(
                {"email": EmailValidator.message}, code=EmailValidator.code
            ) from None
        self.email = normalise_email(address)

    @property
    def display_name(self) -> str:
        """The name others see. Never derived from the e-mail address: a person without a
        name is shown by a neutral label (and asked to choose a name on their next visit)."""
        return self.name.strip() or str(UNNAMED_LABEL)

    @property
    def needs_display_name(self) -> bool:
        return not self.name.strip()

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None

    @cached_property
    def role_set(self) -> frozenset[str]:
        roles = set(self.role_grants.values_list("role", flat=True))
        if self.is_superuser:
            roles.add(Role.ADMIN)
        return frozenset(roles)

    def has_role(self, role: str) -> bool:
        return role in self.role_set

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)

    @property
    def is_coordinator(self) -> bool:
        return self.has_role(Role.COORDINATOR) or self.is_admin

    @property
    def is_moderator(self) -> bool:
        return self.has_role(Role.MODERATOR) or self.is_admin

    @property
    def is_researcher(self) -> bool:
        return self.has_role(Role.RESEARCHER)


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_by = person_field()
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_grant_unique"),
            choices_constraint("role", Role, name="role_grant_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class Organisation(TimeStamped):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address name"), max_length=220, unique=True)
    org_number = models.CharField(
        _("organisation number"),
        max_length=11,
        blank=True,
        validators=[validate_org_number],
        help_text=_("Ten digits, NNNNNN-NNNN. Leave empty if the organisation has none."),
    )
    sector = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="organisations",
        limit_choices_to={"vocabulary__slug": Vocabulary.SECTOR, "is_active": True},
        verbose_name=_("sector"),
    )
    municipality = municipality_field(optional=True, related_name="organisations")
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = person_field()
    version = version_field()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["org_number"],
                condition=~Q(org_number=""),
                name="organisation_org_number_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    ADMIN = "admin", _("Organisation administrator")


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
            choices_constraint("role", MembershipRole, name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Invitation(models.Model):
    """An invitation by e-mail to join an organisation; the link carries a one-time secret."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = person_field(blank=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = person_field()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class ApiTokenScope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the secret is shown once.

    Every token expires (at most ``MAX_LIFETIME_DAYS`` after it is made) and has a scope: a
    ``read`` token is refused on every write."""

    PREFIX = "hjl_"
    LIFETIME_DAYS = (30, 90, 365)
    DEFAULT_LIFETIME_DAYS = 90
    MAX_LIFETIME_DAYS = max(LIFETIME_DAYS)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    scope = models.CharField(_("scope"), max_length=10, choices=ApiTokenScope.choices)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            choices_constraint("scope", ApiTokenScope, name="api_token_scope_known"),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def new_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_read_only(self) -> bool:
        return self.scope == ApiTokenScope.READ
