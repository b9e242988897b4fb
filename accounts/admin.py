"""Staff views of users and designations; designating goes through the same service as `invite_admin`."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from accounts import services
from accounts.models import Designation, User


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name")


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreationAdminForm
    form = UserChangeAdminForm
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_active", "is_staff", "last_login")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Name", {"fields": ("first_name", "last_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "first_name", "last_name", "usable_password", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined")


class DesignationForm(forms.ModelForm):
    class Meta:
        model = Designation
        fields = ("practice", "email")


@admin.register(Designation)
class DesignationAdmin(admin.ModelAdmin):
    form = DesignationForm
    list_display = ("practice", "email", "invited_at", "accepted_at", "invitation_error")
    list_select_related = ("practice",)
    search_fields = ("practice__name", "email")
    autocomplete_fields = ("practice",)
    readonly_fields = ("user", "invited_at", "accepted_at", "invitation_error")
    actions = ["resend_invitation"]

    def save_model(self, request, obj, form, change):
        designation = services.designation_set(practice=form.cleaned_data["practice"], email=form.cleaned_data["email"])
        obj.pk, obj.user, obj.invited_at = designation.pk, designation.user, designation.invited_at
        if designation.invitation_error:
            messages.warning(request, designation.invitation_error)

    @admin.action(description="Re-send the invitation email")
    def resend_invitation(self, request, queryset):
        sent = sum(services.invitation_send(designation=d) for d in queryset.select_related("practice"))
        messages.info(request, f"Invitations sent: {sent} of {queryset.count()}.")
