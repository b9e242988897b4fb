"""Sign-up, sign-in and two-step verification forms."""

import unicodedata

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts import mfa
from accounts.managers import normalize_email
from accounts.models import User
from mips_portal.forms import UswdsFormMixin

NAME_MAX = 100


def visible_text(value: str) -> str:
    """Refuse control, zero-width and bidi-override characters (Unicode Cc/Cf), which make a name display as another."""
    if any(unicodedata.category(char) in {"Cc", "Cf"} for char in value):
        raise forms.ValidationError(_("Remove the invisible or control characters from this field."), code="control_characters")
    return value


class SignupForm(UswdsFormMixin, forms.Form):
    """Email, names and the password twice; the password policy is checked against the names and email."""

    email = forms.EmailField(
        label=_("Email address"), max_length=254,
        help_text=_("Use the address WebPT support designated for your practice."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Enter your email address."), "invalid": _("Enter an email address like name@example.com.")},
    )
    first_name = forms.CharField(label=_("First name"), max_length=NAME_MAX, widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
                                 error_messages={"required": _("Enter your first name.")})
    last_name = forms.CharField(label=_("Last name"), max_length=NAME_MAX, widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
                                error_messages={"required": _("Enter your last name.")})
    password1 = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "maxlength": 128}),
        error_messages={"required": _("Enter a password that follows the rules above.")},
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "maxlength": 128}),
        error_messages={"required": _("Type the same password again.")},
    )

    error_messages = {"password_mismatch": _("The two passwords do not match. Type the same password in both boxes.")}

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])

    def clean_first_name(self):
        return visible_text(self.cleaned_data["first_name"])

    def clean_last_name(self):
        return visible_text(self.cleaned_data["last_name"])

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", forms.ValidationError(self.error_messages["password_mismatch"], code="password_mismatch"))
        elif password1:
            candidate = User(email=cleaned.get("email", ""), first_name=cleaned.get("first_name", ""), last_name=cleaned.get("last_name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    @staticmethod
    def password_rules():
        """Return the password policy as a list of rules, for the checklist shown before typing."""
        return password_validation.password_validators_help_texts()


class UsernameLengthMixin:
    """Enforce the username's length: Django's AuthenticationForm sets max_length after the field is built, so no
    validator checks it, and a 10 KB "username" reached django-axes, whose 255-character column made it a 500."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class AdminLoginForm(UsernameLengthMixin, AdminAuthenticationForm):
    """The admin's sign-in form with the username length enforced."""


class LoginForm(UsernameLengthMixin, UswdsFormMixin, AuthenticationForm):
    """Django's sign-in form, labelled for an email login."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The email address or password is not right. Check both and try again."),
        "inactive": _("This account is not active yet. Open the link in the email we sent when you signed up."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Email address")
        self.fields["username"].widget.attrs["autocomplete"] = "email"


class StyledPasswordResetForm(UswdsFormMixin, PasswordResetForm):
    """Django's password-reset form, styled."""


class StyledSetPasswordForm(UswdsFormMixin, SetPasswordForm):
    """Django's set-password form, styled."""


class StyledPasswordChangeForm(UswdsFormMixin, PasswordChangeForm):
    """Django's password-change form, styled."""


class SecondFactorForm(UswdsFormMixin, forms.Form):
    """One box for the authenticator app's 6-digit code or a recovery code; checking it is django-otp's (throttled)."""

    code = forms.CharField(
        label=_("Code"), max_length=40, strip=True,
        help_text=_("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}),
    )
    error_messages = {
        "invalid": _("That code is not right. Check it and try again, or use one of your recovery codes."),
        "throttled": _("Too many wrong codes. Wait %(seconds)s seconds, then try again."),
    }

    def __init__(self, *args, user, check=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.check = check or (lambda code: mfa.second_factor_check(user=user, code=code))
        self.device = None

    def clean_code(self):
        outcome = self.check(self.cleaned_data["code"])
        if outcome.retry_after:
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled", params={"seconds": outcome.retry_after})
        if outcome.device is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        self.device = outcome.device
        return self.cleaned_data["code"]


class TotpConfirmForm(SecondFactorForm):
    """The first code from a newly added authenticator app, which proves it was set up right."""

    def __init__(self, *args, user, device, **kwargs):
        super().__init__(*args, user=user, check=lambda code: mfa.totp_confirm(user=user, device=device, code=code), **kwargs)
        self.fields["code"].label = _("Code from your authenticator app")
        self.fields["code"].help_text = _("After adding the account, type the 6-digit code the app shows.")
        self.fields["code"].widget.attrs["inputmode"] = "numeric"
        self.error_messages = {**self.error_messages, "invalid": _("That code is not right. Check the app shows MIPS Portal and type its current code.")}
