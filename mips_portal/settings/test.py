"""Test settings: the base settings with fast hashing, in-memory email and no HTTPS redirects."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "t" * 40)
os.environ.setdefault("DEBUG", "False")
os.environ.setdefault("SECURE_SSL_REDIRECT", "False")
os.environ.setdefault("SECURE_COOKIES", "False")
os.environ.setdefault("TIN_ENCRYPTION_KEYS", "dGVzdC1vbmx5LXRpbi1rZXktMzItYnl0ZXMtbG9uZyE=")
os.environ.setdefault("TIN_INDEX_KEY", "test-only-tin-index-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from mips_portal.settings.base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
SECURE_HSTS_SECONDS = 31536000
