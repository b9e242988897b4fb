"""Users (email login), designations of practice administrators, and email-verification tokens."""

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Lower, Upper
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts.managers import UserManager, normalize_email
from practices.models import Practice


class User(AbstractUser):
    """A person who signs in with an email address. Practice administrators come from sign-up (accounts.views)."""

    username = None
    # Unique as stored; the check constraint below keeps it stored lower-case, which makes it case-insensitive.
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)

    # Raised to sign the user out everywhere: it is part of the session auth hash every session is checked against.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(email=Lower("email")), name="user_email_stored_lowercase"),
        ]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)

    def _get_session_auth_hash(self, secret=None):
        key_salt = "accounts.User.get_session_auth_hash"
        return salted_hmac(key_salt, f"{self.password}:{self.session_generation}", secret=secret, algorithm="sha256").hexdigest()


class Designation(models.Model):
    """Staff's statement that one email address may become a practice's account administrator."""

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="designation")
    email = models.EmailField(_("administrator email"), max_length=254, db_index=True)
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="designations",
        help_text=_("Set when the designated person has signed up and verified the address."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    invited_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)
    invitation_error = models.CharField(_("last sending error"), max_length=200, blank=True)
    accepted_at = models.DateTimeField(_("signed up"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(email=Lower("email")), name="designation_email_lowercase"),
            models.CheckConstraint(
                condition=models.Q(user__isnull=True) | models.Q(accepted_at__isnull=False),
                name="designation_accepted_has_time",
            ),
        ]
        # Staff search set-ups by any part of the administrator's email (icontains): a trigram index.
        indexes = [GinIndex(OpClass(Upper("email"), name="gin_trgm_ops"), name="designation_email_trgm")]

    def __str__(self):
        return f"{self.email} → {self.practice.name}"

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)


class EmailVerification(models.Model):
    """A single-use, expiring sign-up link bound to one address. Only the token's SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_verifications")
    email = models.EmailField(max_length=254)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("created_at")), name="verification_expires_later"),
        ]

    def __str__(self):
        return f"verification for {self.email}"

    @property
    def is_usable(self) -> bool:
        """Return whether the link can still be redeemed."""
        return self.used_at is None and self.expires_at > timezone.now()
