#!/usr/bin/env bash
# Shared set-up for `make run`, `make test` and `make bench`: Python and npm pins, then a PostgreSQL that answers.
# Sourced, not run: it exports DATABASE_URL for the caller.
# Usage: source scripts/setup.sh [requirements file]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQUIREMENTS="${1:-requirements.txt}"
cd "$ROOT"
mkdir -p var

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

command -v python3 >/dev/null || die "python3 is not installed (Debian: apt-get install -y python3 python3-venv)."
python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || die "Python 3.11 is required (found $(python3 --version))."
if [ ! -x .venv/bin/python ]; then
  say "Creating the virtualenv in .venv"
  python3 -m venv .venv || die "python3 -m venv failed (Debian: apt-get install -y python3-venv)."
fi
stamp="var/.pip-$(basename "$REQUIREMENTS")-$(cat requirements*.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  say "Installing Python packages from $REQUIREMENTS"
  .venv/bin/pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  touch "$stamp"
fi

command -v npm >/dev/null || die "npm is not installed (Debian: apt-get install -y nodejs npm); it installs USWDS and CMS's qpp-measures-data."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "Installing npm packages (USWDS, qpp-measures-data) from package-lock.json"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

# shellcheck source=scripts/ensure_db.sh
source scripts/ensure_db.sh
