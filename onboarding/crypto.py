"""Field-level encryption of the TIN (Fernet, rotatable keys) and its keyed hash (blind index) for uniqueness."""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in keys])


def tin_encrypt(tin: str) -> str:
    """Return the TIN encrypted with the current (first) key."""
    return _fernet(tuple(settings.TIN_ENCRYPTION_KEYS)).encrypt(tin.encode()).decode()


def tin_decrypt(token: str) -> str:
    """Return the TIN from its ciphertext; any configured key (current or older) may have encrypted it."""
    return _fernet(tuple(settings.TIN_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()


def tin_index(tin: str) -> str:
    """Return the keyed hash of a normalised TIN: equal TINs give equal indexes, and it cannot be reversed without the key."""
    return hmac.new(settings.TIN_INDEX_KEY.encode(), tin.encode(), hashlib.sha256).hexdigest()


def tin_reencrypt(token: str) -> str:
    """Return the ciphertext re-encrypted under the current key (for key rotation)."""
    return _fernet(tuple(settings.TIN_ENCRYPTION_KEYS)).rotate(token.encode()).decode()
