"""Send a signed-in user who still owes a second factor to the code page (or, for staff without one, to set-up)."""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse

from accounts import mfa


class SecondFactorMiddleware:
    """Route sessions that have not passed their second factor.

    - A session whose account had a confirmed device at sign-in may only see the code page and sign out.
    - Staff may not open any admin URL (the login page and change views included) without a verified second
      factor: they go to the code page, or to set-up when they have no device yet.
    The views check again (the set-up page refuses an unverified account that already has a device), and the admin
    site refuses unverified users itself, so this middleware routes people rather than being the only guard.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            target = self._target(request, user)
            if target and request.path != reverse(target):
                return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _target(request, user) -> str | None:
        """Return the URL name the request must go to instead, or None to let it through."""
        if request.path in {reverse("accounts:logout"), reverse("accounts:mfa_verify")}:
            return None
        if request.session.get(mfa.SECOND_FACTOR_DUE):
            return "accounts:mfa_verify"
        if user.is_staff and request.path.startswith(reverse("admin:index")):
            return "accounts:mfa_verify" if mfa.has_second_factor(user) else "accounts:mfa_setup"
        return None
