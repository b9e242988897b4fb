"""Test helpers for two-step verification: a signed-in client whose session has passed its second factor."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_totp_device(user) -> TOTPDevice:
    """Return the user's confirmed authenticator app, creating one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """Return the code the authenticator app would show now (computed from the device's key, as the app does)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def verified_staff_client(user, client: Client | None = None) -> Client:
    """Return a client signed in as `user` whose session passed the second factor (as after typing a code)."""
    client = client or Client()
    device = confirmed_totp_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
