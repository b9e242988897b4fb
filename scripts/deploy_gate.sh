#!/usr/bin/env bash
# The deploy gate (CI runs it after `make test`; see docs/security.md "Deploy gate"):
#  (a) `manage.py check --deploy --fail-level WARNING` with production-like settings and dummy secrets, which also
#      runs the project's own deploy checks (mips_portal/checks.py);
#  (b) pip-audit of the pinned requirements (scripts/dependency_audit.py).
# Fails on any deploy-check warning or error and on any known vulnerability. When no vulnerability service can be
# reached, the packages are NOT audited: that is printed loudly and fails the gate only with DEPENDENCY_AUDIT=required
# (set it wherever PyPI's or OSV's vulnerability data is reachable, and always before a production release).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
[ -x "$PY" ] || { echo "deploy gate: .venv is missing; run 'make test' (or scripts/setup.sh) first." >&2; exit 1; }
secret() { "$PY" -c 'import secrets; print(secrets.token_urlsafe(60))'; }

say "Deploy gate (a): manage.py check --deploy --fail-level WARNING with production settings"
# env -i: only what is listed here, so a developer's DEBUG=true or .env cannot make the check pass.
env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 \
  DJANGO_SETTINGS_MODULE=mips_portal.settings.base \
  SECRET_KEY="$(secret)" \
  TIN_ENCRYPTION_KEYS="$("$PY" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
  TIN_INDEX_KEY="$(secret)" \
  DATABASE_URL="postgres://mips:dummy-password@db.internal.example:5432/mips?sslmode=verify-full" \
  ALLOWED_HOSTS="mips.example.org" CSRF_TRUSTED_ORIGINS="https://mips.example.org" SITE_URL="https://mips.example.org" \
  EMAIL_URL="smtp+tls://mailer:dummy-password@smtp.example.org:587" \
  "$PY" manage.py check --deploy --fail-level WARNING

say "Deploy gate (b): pip-audit of requirements.txt and requirements-test.txt"
status=0
"$PY" scripts/dependency_audit.py requirements.txt requirements-test.txt || status=$?
case "$status" in
  0) echo "deploy gate: passed (deploy checks clean; every pinned package audited, no known vulnerabilities)." ;;
  1) echo "deploy gate: FAILED: known vulnerabilities in the pinned packages (listed above)." >&2; exit 1 ;;
  2) if [ "${DEPENDENCY_AUDIT:-best-effort}" = required ]; then
       echo "deploy gate: FAILED: the dependency audit could not be done and DEPENDENCY_AUDIT=required." >&2; exit 1
     fi
     echo "deploy gate: deploy checks clean; dependency audit NOT DONE (see the warning above; DEPENDENCY_AUDIT=required makes this fail)." ;;
  *) echo "deploy gate: FAILED: the dependency audit stopped unexpectedly (status $status)." >&2; exit 1 ;;
esac
