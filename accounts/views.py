"""Sign-up, email verification, and Django's sign-in / password views with our forms and templates."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView

from accounts import services
from accounts.forms import LoginForm, SignupForm, StyledPasswordChangeForm, StyledPasswordResetForm, StyledSetPasswordForm

sensitive = method_decorator(sensitive_post_parameters(), name="dispatch")
no_cache = method_decorator(never_cache, name="dispatch")


@sensitive
@no_cache
class SignupView(FormView):
    """Create an account with the designated address; the response never says whether it is designated."""

    form_class = SignupForm
    template_name = "accounts/signup.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("practices:home")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        outcome = services.signup_request(
            email=form.cleaned_data["email"], password=form.cleaned_data["password1"],
            first_name=form.cleaned_data["first_name"], last_name=form.cleaned_data["last_name"],
        )
        if not outcome.email_sent:
            form.add_error(None, "We could not send email just now. Nothing is lost: please try again in a few minutes.")
            return self.form_invalid(form)
        return redirect("accounts:signup_sent")


class SignupSentView(TemplateView):
    """The same page for every sign-up: check your inbox."""

    template_name = "accounts/signup_sent.html"


@no_cache
class VerifyView(View):
    """The emailed link: GET shows a confirm button (mail scanners that open links cannot use it up), POST redeems it."""

    template_name = "accounts/verify.html"

    def get(self, request, token):
        try:
            verification = services.verification_get(token=token)
        except services.VerificationError as error:
            return render(request, "accounts/verify_invalid.html", {"reason": str(error)}, status=400)
        return render(request, self.template_name, {"email": verification.email})

    def post(self, request, token):
        try:
            user = services.email_verify(token=token)
        except services.VerificationError as error:
            return render(request, "accounts/verify_invalid.html", {"reason": str(error)}, status=400)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Your email address is confirmed and your account is ready.")
        return redirect("practices:home")


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = StyledPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "emails/password_reset.txt"
    subject_template_name = "emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_email_context = {"SITE_URL": settings.SITE_URL, "SITE_NAME": settings.SITE_NAME}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = StyledSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


@sensitive
class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password; other browsers are signed out, this one stays signed in."""

    form_class = StyledPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("practices:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password was changed. Any other browser signed in to your account was signed out.")
        return response


def lockout(request, original_response=None, credentials=None):
    """Tell a throttled visitor, with status 429 and Retry-After, when they may try again."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "accounts/lockout.html", {"minutes": minutes, "reset_url": reverse("accounts:password_reset")}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
