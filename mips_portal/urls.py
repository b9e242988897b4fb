from django.contrib import admin
from django.urls import include, path

from mips_portal.views import health

admin.site.site_header = "MIPS Portal staff"
admin.site.site_title = "MIPS Portal staff"

handler500 = "mips_portal.views.server_error"

urlpatterns = [
    path("healthz", health, name="health"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("practices.urls")),
    path("", include("scores.urls")),
    path("", include("onboarding.urls")),
]
