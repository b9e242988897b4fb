"""Sign-up, email verification, Django's sign-in / password views with our forms and templates, and two-step verification."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa, services
from accounts.forms import (
    LoginForm, SecondFactorForm, SignupForm, StyledPasswordChangeForm, StyledPasswordResetForm, StyledSetPasswordForm,
    TotpConfirmForm,
)

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
    """Sign in with email and password; an account with two-step verification on is then asked for its code."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_success_url(self):
        target = super().get_success_url()
        if self.request.session.get(mfa.SECOND_FACTOR_DUE):
            return f"{reverse('accounts:mfa_verify')}?{urlencode({'next': target})}"
        return target


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


# Two-step verification ---------------------------------------------------------------------------

def _safe_next(request, default: str) -> str:
    """Return the ?next= (or posted next) target if it is on this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _verified(request, device) -> None:
    """Mark this session as having passed the second factor, under a new session key (a privilege change)."""
    otp_login(request, device)
    request.session.cycle_key()


def _owes_code(request) -> bool:
    return mfa.has_second_factor(request.user) and not request.user.is_verified()


def _home(user) -> str:
    return reverse("admin:index") if user.is_staff else reverse("practices:home")


@method_decorator([sensitive_post_parameters(), never_cache, login_required], name="dispatch")
class SecondFactorVerifyView(FormView):
    """The second step of signing in: a code from the authenticator app, or a recovery code (each works once)."""

    form_class = SecondFactorForm
    template_name = "accounts/mfa_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not mfa.has_second_factor(request.user):
            return redirect(_safe_next(request, _home(request.user)) if not request.user.is_staff else "accounts:mfa_setup")
        if request.user.is_authenticated and request.user.is_verified():
            return redirect(_safe_next(request, _home(request.user)))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": _safe_next(self.request, "")}

    def form_valid(self, form):
        _verified(self.request, form.device)
        if isinstance(form.device, StaticDevice):
            left = mfa.recovery_codes_left(self.request.user)
            messages.warning(self.request, f"You used a recovery code; {left} left. Each works once: make new ones on the "
                                           "Two-step verification page if you are running low or lost your app.")
        return redirect(_safe_next(self.request, _home(self.request.user)))


@method_decorator([sensitive_post_parameters(), never_cache, login_required], name="dispatch")
class SecondFactorSetupView(FormView):
    """Add an authenticator app: scan the QR code (or type the secret), then confirm with its first code."""

    form_class = TotpConfirmForm
    template_name = "accounts/mfa_setup.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and _owes_code(request):
            # Never let a session that has not passed the existing factor replace it with a new one.
            return redirect(f"{reverse('accounts:mfa_verify')}?{urlencode({'next': request.get_full_path()})}")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        self.device = mfa.totp_device_pending(user=self.request.user)
        return {**super().get_form_kwargs(), "user": self.request.user, "device": self.device}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "qr_code": mfa.totp_qr_data_uri(self.device),
                "secret": mfa.totp_secret_text(self.device), "next": _safe_next(self.request, "")}

    def form_valid(self, form):
        user = self.request.user
        if not mfa.recovery_codes_left(user):
            self.request.session[NEW_RECOVERY_CODES] = mfa.recovery_codes_create(user=user)
        # Other browsers signed in with only the password must now sign in again with the app.
        services.sessions_end_everywhere(user=user)
        user.refresh_from_db()
        update_session_auth_hash(self.request, user)
        _verified(self.request, form.device)
        self.request.session[mfa.SECOND_FACTOR_DUE] = True
        messages.success(self.request, "Two-step verification is on. From now on, signing in asks for a code from your app.")
        return redirect(f"{reverse('accounts:mfa')}?{urlencode({'next': _safe_next(self.request, '')})}")


NEW_RECOVERY_CODES = "_new_recovery_codes"


@method_decorator([sensitive_post_parameters(), never_cache, login_required], name="dispatch")
class SecondFactorView(TemplateView):
    """The Two-step verification page: what is set up, new recovery codes (shown once), and turning it off."""

    template_name = "accounts/mfa.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and _owes_code(request):
            return redirect(f"{reverse('accounts:mfa_verify')}?{urlencode({'next': request.get_full_path()})}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {**super().get_context_data(**kwargs),
                "has_app": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
                "codes_left": mfa.recovery_codes_left(user), "new_codes": self.request.session.pop(NEW_RECOVERY_CODES, None),
                "can_turn_off": not user.is_staff and mfa.has_second_factor(user), "next": _safe_next(self.request, "")}

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "recovery_codes" and mfa.has_second_factor(request.user):
            # Only a session that passed the existing factor gets here (dispatch); codes are a back-up, never a first factor.
            request.session[NEW_RECOVERY_CODES] = mfa.recovery_codes_create(user=request.user)
        elif action == "turn_off" and not request.user.is_staff:
            mfa.second_factor_remove(user=request.user)
            request.session.pop(mfa.SECOND_FACTOR_DUE, None)
            messages.success(request, "Two-step verification is off. Signing in now needs only your password.")
        return redirect("accounts:mfa")
