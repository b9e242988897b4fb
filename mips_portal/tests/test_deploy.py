"""With production values, `check --deploy --fail-level WARNING` reports nothing."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings():
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "mips_portal.settings.base",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "TIN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "TIN_INDEX_KEY": secrets.token_urlsafe(32),
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mips_portal"),
        "ALLOWED_HOSTS": "mips.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://mips.example.org",
        "SITE_URL": "https://mips.example.org",
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
