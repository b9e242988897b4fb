from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import TemplateView

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.SignupView.as_view(), name="signup"),
    path("signup/sent/", views.SignupSentView.as_view(), name="signup_sent"),
    path("verify/<str:token>/", views.VerifyView.as_view(), name="verify"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", TemplateView.as_view(template_name="accounts/password_reset_done.html"), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password-reset/complete/", TemplateView.as_view(template_name="accounts/password_reset_complete.html"), name="password_reset_complete"),
    path("two-step/", views.SecondFactorView.as_view(), name="mfa"),
    path("two-step/verify/", views.SecondFactorVerifyView.as_view(), name="mfa_verify"),
    path("two-step/set-up/", views.SecondFactorSetupView.as_view(), name="mfa_setup"),
]
