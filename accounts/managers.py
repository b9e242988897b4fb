"""The user manager: email is the login."""

from django.contrib.auth.base_user import BaseUserManager


def normalize_email(email: str) -> str:
    """Return the address as stored and matched: surrounding spaces removed, lower-cased.

    Only case and surrounding spaces are forgiven; nothing else (no "+tag" stripping, no look-alike folding),
    so an address matches a designation only if it is the same mailbox as typed by staff.
    """
    return (email or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email=normalize_email(username))

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        """Create a practice-side user (never staff)."""
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        """Create a staff superuser."""
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)
