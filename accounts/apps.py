from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from accounts.mfa import SecondFactorAdminSite
        from accounts.receivers import end_other_sessions_on_logout, second_factor_due_on_login

        user_logged_out.connect(end_other_sessions_on_logout, dispatch_uid="accounts.end_other_sessions_on_logout")
        user_logged_in.connect(second_factor_due_on_login, dispatch_uid="accounts.second_factor_due_on_login")
        # Every admin page needs a verified second factor (django-otp's documented way to swap in its admin site rule).
        admin.site.__class__ = SecondFactorAdminSite
        from accounts.forms import AdminLoginForm

        admin.site.login_form = AdminLoginForm
