from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from accounts.receivers import end_other_sessions_on_logout

        user_logged_out.connect(end_other_sessions_on_logout, dispatch_uid="accounts.end_other_sessions_on_logout")
