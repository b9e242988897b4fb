"""The TIN at rest: encrypted, indexed for uniqueness, and re-encrypted when keys rotate (D1)."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from onboarding import crypto
from onboarding.crypto import _fernet
from onboarding.models import TaxIdentifier
from onboarding.tests.helpers import complete_steps


@pytest.mark.django_db
def test_D1_tin_is_stored_encrypted_with_a_blind_index(admin_client, enrollment):
    complete_steps(admin_client, enrollment, "tin")
    row = TaxIdentifier.objects.get()
    assert "461234567" not in row.tin_encrypted and "461234567" not in row.tin_index
    assert crypto.tin_decrypt(row.tin_encrypted) == "461234567"
    assert row.tin_index == crypto.tin_index("461234567") != crypto.tin_index("461234568")


@pytest.mark.django_db
def test_D1_key_rotation_reencrypts_under_the_new_key(admin_client, enrollment, settings):
    complete_steps(admin_client, enrollment, "tin")
    old_key = settings.TIN_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.TIN_ENCRYPTION_KEYS = [new_key, old_key]
    _fernet.cache_clear()
    call_command("rotate_tin_keys")
    settings.TIN_ENCRYPTION_KEYS = [new_key]
    _fernet.cache_clear()
    assert crypto.tin_decrypt(TaxIdentifier.objects.get().tin_encrypted) == "461234567"
