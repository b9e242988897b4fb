"""Staff view of data loads: read-only, with a re-queue action (through the service) and the rejected-row report."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from emr.models import DataLoad, RejectedRow
from emr.services import DataLoadNotQueueable, data_load_requeue
from mips_portal.admin import ReadOnlyAdmin


class RejectedRowInline(admin.TabularInline):
    model = RejectedRow
    fields = ("file_name", "line", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("rejected row")
    verbose_name_plural = _("rejected rows (the first ones kept; the total is the bad-row count)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DataLoad)
class DataLoadAdmin(ReadOnlyAdmin):
    list_display = ("enrollment", "status", "attempts", "rows_done", "rows_total", "bad_rows", "queued_at",
                    "finished_at", "next_attempt_at")
    list_filter = ("status", "enrollment__year")
    list_select_related = ("enrollment__practice", "enrollment__year")
    search_fields = ("enrollment__practice__name",)
    ordering = ("-queued_at",)
    actions = ("requeue",)
    inlines = (RejectedRowInline,)
    fieldsets = (
        (None, {"fields": ("enrollment", "status", "failure_reason", "last_error", "attempts", "next_attempt_at")}),
        (_("Progress"), {"fields": ("rows_total", "rows_done", "rows_loaded", "bad_rows", "source_files")}),
        (_("Times"), {"fields": ("queued_at", "started_at", "heartbeat_at", "finished_at")}),
        (_("Task"), {"fields": ("task_id", "queue_token")}),
    )
    readonly_fields = tuple(f for fieldset in fieldsets for f in fieldset[1]["fields"])

    def has_requeue_permission(self, request):
        return request.user.has_perm("emr.change_dataload") or request.user.has_perm("staff.requeue_data_load")

    @admin.action(description=_("Re-queue the selected data loads"), permissions=["requeue"])
    def requeue(self, request, queryset):
        queued = 0
        for load in queryset.select_related("enrollment__practice"):
            try:
                data_load_requeue(enrollment=load.enrollment)
            except DataLoadNotQueueable as exc:
                self.message_user(request, f"{load.enrollment}: {exc}", messages.WARNING)
                continue
            self.log_change(request, load, "Re-queued")
            queued += 1
        if queued:
            self.message_user(request, _("Data loads queued: %(count)d.") % {"count": queued}, messages.SUCCESS)
