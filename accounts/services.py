"""Invitations, sign-up and email verification: the only code that creates accounts or sends account email."""

import hashlib
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.managers import normalize_email
from accounts.models import Designation, EmailVerification, User
from mips_portal.mail import email_send, site_url
from practices.models import Practice, PerformanceYear
from practices.services import enrollment_ensure

security_log = logging.getLogger("accounts.security")


class VerificationError(Exception):
    """A sign-up link that cannot be redeemed; the message is safe to show."""


def designation_set(*, practice: Practice, email: str, year: PerformanceYear | None = None) -> Designation:
    """Designate the one address that may become the practice's administrator and send it the invitation.

    Designating a different address replaces the previous one (who then loses access); designating the same
    address again just re-sends the invitation.
    """
    email = normalize_email(email)
    with transaction.atomic():
        designation = Designation.objects.select_for_update().filter(practice=practice).first()
        if designation is None:
            designation = Designation(practice=practice)
        if designation.email != email:
            designation.email, designation.user, designation.accepted_at = email, None, None
            existing = User.objects.filter(email=email, is_active=True).first()
            if existing is not None:
                designation.user, designation.accepted_at = existing, timezone.now()
        designation.full_clean()
        designation.save()
        enrollment_ensure(practice=practice, year=year)
    invitation_send(designation=designation)
    return designation


def invitation_send(*, designation: Designation) -> bool:
    """Email the designated address that its account was created, with the sign-up link; record the outcome."""
    sent = email_send(
        to=designation.email,
        template="invitation",
        context={"practice": designation.practice, "signup_url": site_url(reverse("accounts:signup")),
                 "already_active": designation.user_id is not None, "login_url": site_url(reverse("accounts:login"))},
    )
    designation.invited_at = timezone.now() if sent else designation.invited_at
    designation.invitation_error = "" if sent else "The mail server did not accept the message; re-send the invitation."
    designation.save(update_fields=["invited_at", "invitation_error"])
    return sent


@dataclass(frozen=True)
class SignupOutcome:
    """What a sign-up did. Only `email_sent` may influence the page: the rest must not be revealed to the visitor."""

    email_sent: bool
    designated: bool


def signup_request(*, email: str, password: str, first_name: str, last_name: str) -> SignupOutcome:
    """Handle a sign-up: a designated address gets a verification link, any other address an explanation.

    The visitor sees the same page either way, so the page never reveals whether an address is designated.
    """
    email = normalize_email(email)
    if not Designation.objects.filter(email=email).exists():
        make_password(password)  # the same hashing work as the designated path, so timing does not tell either
        security_log.info("sign-up for an undesignated address")
        return SignupOutcome(email_send(to=email, template="signup_not_designated", context={}), designated=False)
    existing = User.objects.filter(email=email).first()
    if existing is not None and existing.is_active:
        make_password(password)
        return SignupOutcome(
            email_send(to=email, template="signup_already_active", context={
                "login_url": site_url(reverse("accounts:login")),
                "reset_url": site_url(reverse("accounts:password_reset")),
            }),
            designated=True,
        )
    with transaction.atomic():
        user = existing or User(email=email)
        user.first_name, user.last_name, user.is_active = first_name.strip(), last_name.strip(), False
        user.set_password(password)
        user.save()
        # Only the newest link works: a second sign-up replaces the first one's password and link.
        EmailVerification.objects.filter(user=user, used_at__isnull=True).delete()
        token = secrets.token_urlsafe(32)
        EmailVerification.objects.create(
            user=user, email=email, token_hash=_token_hash(token),
            expires_at=timezone.now() + settings.SIGNUP_TOKEN_MAX_AGE,
        )
    sent = email_send(to=email, template="signup_verify", context={
        "user": user, "verify_url": site_url(reverse("accounts:verify", args=[token])),
        "hours": int(settings.SIGNUP_TOKEN_MAX_AGE.total_seconds() // 3600),
    })
    return SignupOutcome(sent, designated=True)


def verification_get(*, token: str) -> EmailVerification:
    """Return the usable verification for this link, or raise VerificationError."""
    verification = EmailVerification.objects.select_related("user").filter(token_hash=_token_hash(token)).first()
    _check_usable(verification)
    return verification


def email_verify(*, token: str) -> User:
    """Redeem a sign-up link: activate the account and make it the administrator of its designated practices."""
    with transaction.atomic():
        verification = (
            EmailVerification.objects.select_for_update().select_related("user").filter(token_hash=_token_hash(token)).first()
        )
        _check_usable(verification)
        now = timezone.now()
        verification.used_at = now
        verification.save(update_fields=["used_at"])
        user = verification.user
        user.is_active = True
        user.save(update_fields=["is_active"])
        Designation.objects.filter(email=user.email, user__isnull=True).update(user=user, accepted_at=now)
    return user


def _check_usable(verification: EmailVerification | None) -> None:
    if verification is None or verification.email != verification.user.email:
        security_log.info("sign-up link not recognised")
        raise VerificationError("This link is not valid. Check that you opened the whole link from the email, or sign up again.")
    if verification.used_at is not None:
        raise VerificationError("This link has already been used. Sign in with your email address and password.")
    if verification.expires_at <= timezone.now():
        raise VerificationError("This link has expired. Sign up again to get a new one.")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sessions_end_everywhere(*, user: User) -> None:
    """Sign the user out of every browser: each session's stored auth hash stops matching."""
    User.objects.filter(pk=user.pk).update(session_generation=models.F("session_generation") + 1)
