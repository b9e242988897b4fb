"""Cross-cutting request handling: session lifetime limits and no caching of signed-in pages."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import add_never_cache_headers

SESSION_STARTED = "_session_started"


class SessionLimitsMiddleware:
    """End a session 12 hours after sign-in, however active (the 15-minute idle limit is SESSION_COOKIE_AGE).

    Answers are in the database, so ending a session loses nothing that was saved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault(SESSION_STARTED, time.time())
            if time.time() - started > settings.SESSION_ABSOLUTE_MAX_AGE:
                logout(request)
                messages.info(request, "For your security you were signed out after 12 hours. Sign in again to carry on: your saved answers are kept.")
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Tell browsers and proxies not to keep pages shown to a signed-in user (Back after sign-out shows nothing)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
