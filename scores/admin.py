"""Staff see CMS's loaded data and the year's rules (read-only: they come from the package and the rules file), the
practices' choices, and download any enrollment's QPP submission file."""

from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html

from mips_portal.admin import ReadOnlyAdmin
from scores import services
from scores.models import (
    ActivityAttestation, Benchmark, CategoryWeights, ImprovementActivity, MeasureSelection, QualityMeasure, ScoringYear,
    SubmissionFile,
)
from scores.views import submission_response


class BenchmarkInline(admin.StackedInline):
    model = Benchmark
    can_delete = False
    readonly_fields = ("submission_method", "benchmark_year", "deciles", "is_topped_out", "is_topped_out_by_program")


@admin.register(QualityMeasure)
class QualityMeasureAdmin(ReadOnlyAdmin):
    list_display = ("measure_id", "title", "year", "measure_type", "is_high_priority", "is_inverse")
    list_filter = ("year", "measure_type", "is_high_priority", "is_inverse")
    search_fields = ("measure_id", "title")
    inlines = [BenchmarkInline]


@admin.register(ImprovementActivity)
class ImprovementActivityAdmin(ReadOnlyAdmin):
    list_display = ("activity_id", "title", "year", "weight", "subcategory")
    list_filter = ("year", "weight")
    search_fields = ("activity_id", "title")


class CategoryWeightsInline(admin.TabularInline):
    model = CategoryWeights
    can_delete = False
    readonly_fields = ("quality_reweighted", "cost_reweighted", "ia_reweighted", "pi_reweighted", "small_practice",
                       "quality", "cost", "ia", "pi", "verified", "note")


@admin.register(ScoringYear)
class ScoringYearAdmin(ReadOnlyAdmin):
    list_display = ("year", "performance_threshold", "exceptional_threshold", "data_completeness_percent", "case_minimum")
    inlines = [CategoryWeightsInline]


@admin.register(MeasureSelection)
class MeasureSelectionAdmin(admin.ModelAdmin):
    list_display = ("enrollment", "measure", "selected_at")
    list_select_related = ("enrollment__practice", "enrollment__year", "measure")
    list_filter = ("enrollment__year",)
    search_fields = ("enrollment__practice__name", "measure__measure_id")
    raw_id_fields = ("enrollment", "measure")


@admin.register(ActivityAttestation)
class ActivityAttestationAdmin(admin.ModelAdmin):
    list_display = ("enrollment", "activity", "start_date", "end_date", "group_participation", "attested_by", "attested_at")
    list_select_related = ("enrollment__practice", "enrollment__year", "activity", "attested_by")
    list_filter = ("enrollment__year", "group_participation")
    search_fields = ("enrollment__practice__name", "activity__activity_id")
    raw_id_fields = ("enrollment", "activity", "attested_by")
    readonly_fields = ("attested_by", "attested_at")


@admin.register(SubmissionFile)
class SubmissionFileAdmin(ReadOnlyAdmin):
    """Every submitted enrollment, each with a link that downloads its QPP submission file."""

    list_display = ("practice", "year", "submitted_at", "download")
    list_select_related = ("practice", "year")
    list_filter = ("year",)
    search_fields = ("practice__name",)
    actions = None

    def get_queryset(self, request):
        return super().get_queryset(request).filter(submitted_at__isnull=False)

    @admin.display(description="QPP submission file")
    def download(self, obj):
        url = reverse("admin:scores_submissionfile_download", args=[obj.pk])
        return format_html('<a href="{}">Download JSON</a>', url)

    def get_urls(self):
        view = self.admin_site.admin_view(self.download_view)
        return [path("<int:pk>/download/", view, name="scores_submissionfile_download"), *super().get_urls()]

    def download_view(self, request, pk: int):
        """Send the enrollment's submission file (staff with view permission only)."""
        if not self.has_view_permission(request):
            return redirect("admin:index")
        enrollment = get_object_or_404(self.get_queryset(request).select_related("year", "practice"), pk=pk)
        try:
            return submission_response(enrollment)
        except services.SubmissionFileError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect("admin:scores_submissionfile_changelist")
