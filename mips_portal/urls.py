from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "MIPS Portal staff"
admin.site.site_title = "MIPS Portal staff"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("practices.urls")),
    path("", include("scores.urls")),
    path("", include("onboarding.urls")),
]
