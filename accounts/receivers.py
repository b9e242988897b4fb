"""Signing out anywhere signs the user out everywhere."""

from accounts.services import sessions_end_everywhere


def end_other_sessions_on_logout(sender, request, user, **kwargs):
    if user is not None:
        sessions_end_everywhere(user=user)
