"""Two-step verification (django-otp): an authenticator app (TOTP) and single-use recovery codes.

Staff must pass a second factor before any admin page (SecondFactorMiddleware routes them, and the admin site itself
refuses unverified users); practice administrators may turn it on, and are then asked for a code at every sign-in.
"""

import base64
import logging
from dataclasses import dataclass
from datetime import timedelta

import qrcode
import qrcode.image.svg
from django.contrib.admin import AdminSite
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

security_log = logging.getLogger("accounts.security")

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
# Set at sign-in when the account has a confirmed device: the session must then pass the code before anything else.
SECOND_FACTOR_DUE = "_second_factor_due"


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of checking a code: the device that accepted it, or how long to wait after too many wrong ones."""

    device: Device | None
    retry_after: int = 0


def has_second_factor(user) -> bool:
    """Return whether the user has a confirmed authenticator app or recovery codes."""
    return user_has_device(user, confirmed=True)


def totp_device_pending(*, user) -> TOTPDevice:
    """Return the user's authenticator app being set up (not yet confirmed), creating it with a new secret if needed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def totp_confirm(*, user, device: TOTPDevice, code: str) -> CodeCheck:
    """Confirm a pending authenticator app with its first code; it then replaces any app set up before."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        check = _check(device, _compact(code))
        if check.device is None:
            return check
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    security_log.info("authenticator app set up for user %s", user.pk)
    return check


def recovery_codes_create(*, user) -> list[str]:
    """Replace the user's recovery codes with new single-use ones and return them (they are shown once)."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    security_log.info("new recovery codes made for user %s", user.pk)
    return codes


def recovery_codes_left(user) -> int:
    """Return how many unused recovery codes the user has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_check(*, user, code: str) -> CodeCheck:
    """Check a code from the authenticator app (6 digits) or a recovery code against the user's devices.

    Only the devices of the code's kind are tried, so a wrong app code never throttles the recovery codes.
    django-otp's throttling doubles the wait after each wrong code (1 s, 2 s, 4 s...).
    """
    code = _compact(code)
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            check = _check(device, code)
            if check.device is not None or check.retry_after:
                return check
    security_log.info("wrong second-factor code for user %s", user.pk)
    return CodeCheck(None)


def second_factor_remove(*, user) -> None:
    """Turn two-step verification off: delete the authenticator app and the recovery codes."""
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
    security_log.info("two-step verification turned off for user %s", user.pk)


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """Return the device's otpauth:// link as an SVG QR code in a data: URI (drawn here, no image library needed)."""
    svg = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def totp_secret_text(device: TOTPDevice) -> str:
    """Return the secret in base32, in groups of four, for typing into an app that cannot scan."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _check(device, code: str) -> CodeCheck:
    allowed, info = device.verify_is_allowed()
    if not allowed:
        locked_until = (info or {}).get("locked_until") or timezone.now() + timedelta(seconds=1)
        return CodeCheck(None, retry_after=max(1, int((locked_until - timezone.now()).total_seconds() + 0.999)))
    return CodeCheck(device if device.verify_token(code) else None)


def _compact(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


class SecondFactorAdminSite(AdminSite):
    """The admin site, open only to staff whose session passed a second factor (django-otp's OTPAdminSite rule).

    Installed on `admin.site` in AccountsConfig.ready(); SecondFactorMiddleware sends unverified staff to the code
    page before they get here, so this is the last line, not the usual path.
    """

    def has_permission(self, request):
        is_verified = getattr(request.user, "is_verified", None)
        return super().has_permission(request) and bool(is_verified and is_verified())
