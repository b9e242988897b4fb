"""Staff review in Django admin: every set-up in one list, one read-only page per set-up, and the staff actions.

Nobody edits set-up answers or signatures here: the admin only reads, and every action calls the same service the
portal uses. Which staff member may do what is decided by the groups built in staff.services.staff_roles_setup.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Designation
from accounts.services import designation_set, invitation_send
from emr.services import DataLoadNotQueueable, data_load_requeue
from mips_portal.admin import ReadOnlyAdmin
from onboarding.models import Signature
from onboarding.services import onboarding_reopen
from practices.models import Enrollment
from staff import selectors
from staff.export import setups_csv_lines
from staff.forms import DesignateForm, ReopenForm
from staff.models import StaffAccess
from staff.services import staff_access_record, tin_reveal


class StatusFilter(admin.SimpleListFilter):
    """Filter by set-up status, with the same conditions that compute the status column."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return selectors.SetupStatus.choices

    def queryset(self, request, queryset):
        if self.value() in selectors.SetupStatus.values:
            return selectors.setups_with_status(queryset, self.value())
        return queryset


class AnswerFilter(admin.SimpleListFilter):
    """Filter by a yes/no answer of a step, or by the step not answered yet."""

    lookup = ""

    def lookups(self, request, model_admin):
        return (("yes", _("Yes")), ("no", _("No")), ("unanswered", _("Not answered")))

    def queryset(self, request, queryset):
        relation = self.lookup.split("__")[0]
        conditions = {"yes": {self.lookup: True}, "no": {self.lookup: False}, "unanswered": {f"{relation}__isnull": True}}
        return queryset.filter(**conditions[self.value()]) if self.value() in conditions else queryset


class SmallPracticeFilter(AnswerFilter):
    title, parameter_name, lookup = _("small practice"), "small", "small_practice__is_small"


class PiExemptFilter(AnswerFilter):
    title, parameter_name, lookup = _("PI exempt"), "pi_exempt", "pi_survey__pi_exempt"


class CostExemptFilter(AnswerFilter):
    title, parameter_name, lookup = _("cost exempt"), "cost_exempt", "exemptions__cost_exempt"


class SetUpChangeList(ChangeList):
    """Finds the page's set-ups first (filters, order, limit only), then computes the list's columns for that page.

    Computing the columns (a subquery per step and answer) for every set-up before sorting would cost a pass over
    all 100,000 rows; fetched by the page's ids they are computed for the 50 rows shown. One query more, always.
    """

    def get_results(self, request):
        super().get_results(request)
        page = self.result_list
        # A literal list of ids, so PostgreSQL computes the columns for exactly these rows whatever plan it picks.
        ids = list(page.values_list("pk", flat=True))
        self.result_list = self.root_queryset.filter(pk__in=ids).order_by(*page.query.order_by)


def _request_id(request):
    return getattr(request, "request_id", None)


@admin.register(Enrollment)
class SetUpAdmin(ReadOnlyAdmin):
    """The enrollments as set-ups: listed with their status, read whole on one page, acted on through services."""

    list_display = ("practice_name", "year", "status", "is_small_practice", "pi_exempt", "cost_exempt", "tin",
                    "submitted_at", "loaded_at")
    list_filter = ("year", StatusFilter, SmallPracticeFilter, PiExemptFilter, CostExemptFilter)
    # Shown for the search box only: get_search_results decides what a term matches (never a whole TIN).
    search_fields = ("practice__name", "practice__designation__email")
    search_help_text = _("Practice name, administrator email, or the last four digits of the TIN.")
    show_full_result_count = False
    list_per_page = 50
    # Newest first: an index scan of the primary key, so the first page costs the same at any size. The computed
    # columns (status, answers, loaded at) are not sortable: sorting by them would compute them for every set-up.
    ordering = ("-pk",)
    fields = ("practice", "year", "created_at", "submitted_at", "submitted_by")
    readonly_fields = fields
    change_form_template = "admin/staff/setup_change_form.html"
    actions = ("designate_administrator", "resend_invitation", "reopen_setups", "requeue_data_loads", "export_csv")

    # Read-only for everyone (ReadOnlyAdmin); enrollments come from designating an administrator.

    def has_designate_permission(self, request):
        return request.user.has_perm("staff.designate_administrator")

    def has_reopen_permission(self, request):
        return request.user.has_perm("staff.reopen_setup")

    def has_requeue_permission(self, request):
        return request.user.has_perm("staff.requeue_data_load")

    def has_export_permission(self, request):
        return request.user.has_perm("staff.export_setups")

    # --- the list -----------------------------------------------------------------------------------------------

    def get_queryset(self, request):
        return selectors.setups_annotated(super().get_queryset(request))

    def get_changelist(self, request, **kwargs):
        return SetUpChangeList

    def get_search_results(self, request, queryset, search_term):
        if selectors.is_whole_tin(search_term):
            self.message_user(request, _("Search by the TIN's last four digits only: a whole TIN is never searched."),
                              messages.WARNING)
        return selectors.setup_search(queryset, search_term), False

    def changelist_view(self, request, extra_context=None):
        # Without this, an action the user may not run is silently ignored; refusing it makes the rule visible.
        action, allowed = request.POST.get("action"), self.get_actions(request)
        if request.method == "POST" and action not in allowed and (action or not allowed):
            raise PermissionDenied
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("practice"), ordering="practice__name")
    def practice_name(self, obj):
        return obj.practice.name

    @admin.display(description=_("status"))
    def status(self, obj):
        return selectors.status_label(obj)

    @admin.display(description=_("small practice"), boolean=True)
    def is_small_practice(self, obj):  # not `small_practice`: that name is the reverse relation (a query per row)
        return obj.is_small

    @admin.display(description=_("PI exempt"), boolean=True)
    def pi_exempt(self, obj):
        return obj.pi_exempt

    @admin.display(description=_("cost exempt"), boolean=True)
    def cost_exempt(self, obj):
        return obj.cost_exempt

    @admin.display(description=_("TIN"))
    def tin(self, obj):
        return selectors.masked_tin(obj.tin_last4)

    @admin.display(description=_("loaded at"))
    def loaded_at(self, obj):
        return obj.loaded_at

    # --- one set-up ---------------------------------------------------------------------------------------------

    def get_urls(self):
        reveal = path("<path:object_id>/reveal-tin/", self.admin_site.admin_view(self.reveal_tin_view),
                      name="practices_enrollment_reveal_tin")
        return [reveal, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        enrollment = self.get_object(request, unquote(object_id))
        if enrollment is not None and self.has_view_permission(request, enrollment):
            if request.method == "GET":
                staff_access_record(user=request.user, enrollment=enrollment, action=StaffAccess.Action.VIEWED,
                                    request_id=_request_id(request))
            extra_context = {**(extra_context or {}), **self._setup_context(request, enrollment)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _setup_context(self, request, enrollment):
        load, rejected_rows = selectors.setup_data_load(enrollment)
        return {
            "setup": enrollment, "status_label": selectors.status_label(enrollment),
            "designation": Designation.objects.filter(practice_id=enrollment.practice_id).first(),
            "masked_tin": selectors.masked_tin(enrollment.tin_last4),
            "answers": selectors.setup_answers(enrollment), "signatures": selectors.setup_signatures(enrollment),
            "data_load": load, "rejected_rows": rejected_rows, "history": selectors.setup_history(enrollment),
            "can_reveal_tin": request.user.has_perm("staff.view_full_tin") and enrollment.tin_last4,
            "setup_actions": [(name, description) for name, (_func, _name, description)
                              in self.get_actions(request).items() if name != "export_csv"],
            "changelist_url": reverse("admin:practices_enrollment_changelist"),
        }

    def reveal_tin_view(self, request, object_id):
        """Show one set-up's full TIN to a user allowed to see it (POST only); every reveal is recorded."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm("staff.view_full_tin"):
            raise PermissionDenied
        enrollment = self.get_object(request, unquote(object_id))
        if enrollment is None:
            raise Http404
        if not self.has_view_permission(request, enrollment):
            raise PermissionDenied
        tin = tin_reveal(user=request.user, enrollment=enrollment, request_id=_request_id(request))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "original": enrollment, "tin": tin,
                   "title": _("Full TIN")}
        return TemplateResponse(request, "admin/staff/reveal_tin.html", context)

    # --- actions, each through the portal's services ------------------------------------------------------------

    def _intermediate(self, request, queryset, *, action, title, form, intro):
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": title, "form": form,
                   "action": action, "setups": queryset, "intro": intro}
        return TemplateResponse(request, "admin/staff/action_form.html", context)

    @admin.action(description=_("Designate an administrator (sends the invitation)"), permissions=["designate"])
    def designate_administrator(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Designate one set-up at a time."), messages.ERROR)
            return None
        enrollment = queryset.get()
        form = DesignateForm(request.POST if "apply" in request.POST else None, initial={
            "email": Designation.objects.filter(practice_id=enrollment.practice_id).values_list("email", flat=True).first()})
        if not form.is_valid():
            return self._intermediate(request, queryset, action="designate_administrator", form=form,
                                      title=_("Designate an administrator"),
                                      intro=_("The address receives the invitation; a different address replaces the "
                                              "current administrator, the same address gets the invitation again."))
        designation = designation_set(practice=enrollment.practice, email=form.cleaned_data["email"], year=enrollment.year)
        self.log_change(request, enrollment, f"Designated administrator {designation.email}")
        self._report_invitation(request, designation)
        return None

    @admin.action(description=_("Re-send the invitation email"), permissions=["designate"])
    def resend_invitation(self, request, queryset):
        for enrollment in queryset:
            designation = Designation.objects.select_related("practice").filter(practice_id=enrollment.practice_id).first()
            if designation is None:
                self.message_user(request, _("%(setup)s has no administrator yet: designate one.") % {"setup": enrollment},
                                  messages.WARNING)
                continue
            invitation_send(designation=designation)
            self.log_change(request, enrollment, f"Re-sent the invitation to {designation.email}")
            self._report_invitation(request, designation)

    def _report_invitation(self, request, designation):
        if designation.invitation_error:
            self.message_user(request, f"{designation.practice.name}: {designation.invitation_error}", messages.WARNING)
        else:
            self.message_user(request, f"Invitation sent to {designation.email} for {designation.practice.name}.")

    @admin.action(description=_("Reopen the submitted set-up (voids its waiver)"), permissions=["reopen"])
    def reopen_setups(self, request, queryset):
        submitted = queryset.filter(submitted_at__isnull=False)
        form = ReopenForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._intermediate(request, submitted, action="reopen_setups", form=form,
                                      title=_("Reopen submitted set-ups"),
                                      intro=_("The administrator can change the set-up again and must sign a new waiver. "
                                              "Set-ups not submitted are left alone."))
        for enrollment in submitted:
            onboarding_reopen(enrollment=enrollment, reason=form.cleaned_data["reason"])
            self.log_change(request, enrollment, f"Reopened: {form.cleaned_data['reason']}")
        self.message_user(request, _("Set-ups reopened: %(count)d.") % {"count": len(submitted)})
        return None

    @admin.action(description=_("Re-queue the data load"), permissions=["requeue"])
    def requeue_data_loads(self, request, queryset):
        for enrollment in queryset:
            try:
                data_load_requeue(enrollment=enrollment)
            except DataLoadNotQueueable as refusal:
                self.message_user(request, f"{enrollment}: {refusal}", messages.WARNING)
                continue
            self.log_change(request, enrollment, "Re-queued the data load")
            self.message_user(request, f"{enrollment}: data load queued.")

    @admin.action(description=_("Export as CSV (TIN masked)"), permissions=["export"])
    def export_csv(self, request, queryset):
        response = StreamingHttpResponse(setups_csv_lines(queryset.order_by("pk")), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="set-ups-{timezone.localdate():%Y-%m-%d}.csv"'
        return response


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    """Signed BAAs and waivers: evidence only to read (PostgreSQL refuses changes anyway)."""

    list_display = ("enrollment", "document", "version", "signer_name", "signed_at", "text_is_intact", "voided_at")
    list_filter = ("document", "version")
    list_select_related = ("enrollment__practice", "enrollment__year")
    search_fields = ("enrollment__practice__name",)

    @admin.display(description=_("text matches its SHA-256"), boolean=True)
    def text_is_intact(self, obj):
        return obj.text_intact


@admin.register(StaffAccess)
class StaffAccessAdmin(ReadOnlyAdmin):
    """Who among staff opened which set-up or revealed its TIN, and when."""

    list_display = ("at", "user", "action", "enrollment", "request_id")
    list_filter = ("action",)
    list_select_related = ("user", "enrollment__practice", "enrollment__year")
    date_hierarchy = "at"
