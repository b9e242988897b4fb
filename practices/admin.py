"""Staff create practices and performance years here."""

from django.conf import settings
from django.contrib import admin

from practices.models import PerformanceYear, Practice


@admin.register(PerformanceYear)
class PerformanceYearAdmin(admin.ModelAdmin):
    list_display = ("year", "is_open")


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ("name", "top_level_admin_email", "created_at")
    search_fields = ("name",)

    def get_changeform_initial_data(self, request):
        return {"top_level_admin_email": settings.TOP_LEVEL_ADMIN_EMAIL, **super().get_changeform_initial_data(request)}

# Enrollments are reviewed as set-ups in staff/admin.py (SetUpAdmin).
