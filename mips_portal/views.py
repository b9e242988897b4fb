"""Error pages and the health check."""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error as django_server_error

RETRY_AFTER_SECONDS = 30


def server_error(request, template_name="500.html"):
    """Answer 503 with Retry-After when the database is unreachable, else Django's 500 page.

    The 503 page is static: no session, user or database is touched, and nothing about the cause is shown.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        return unavailable()
    return django_server_error(request, template_name)


def unavailable() -> HttpResponse:
    """Return the static 'temporarily unavailable' page."""
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@never_cache
def health(request):
    """Return 200 when the database answers, 503 otherwise (for load balancers and monitoring)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        response = JsonResponse({"status": "unavailable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"status": "ok"})
