"""Signing out anywhere signs the user out everywhere; signing in with a second factor set up asks for it."""

from accounts import mfa
from accounts.services import sessions_end_everywhere


def end_other_sessions_on_logout(sender, request, user, **kwargs):
    if user is not None:
        sessions_end_everywhere(user=user)


def second_factor_due_on_login(sender, request, user, **kwargs):
    """Mark the new session as owing a code when the account has an authenticator app or recovery codes."""
    if request is not None and hasattr(request, "session") and mfa.has_second_factor(user):
        request.session[mfa.SECOND_FACTOR_DUE] = True
