"""Template context shared by every page."""

from django.conf import settings


def site(request):
    """Return the site's name and support address for templates."""
    return {"SITE_NAME": settings.SITE_NAME, "SUPPORT_EMAIL": settings.SUPPORT_EMAIL}
