#!/usr/bin/env bash
# `make bench`: set everything up, then run the benchmarks (bench/runner.py) with production settings against a
# database of their own, dropped and created again each run. Arguments choose benchmarks: wizard queries admin data_load queue.
source "$(dirname "$0")/../scripts/setup.sh" requirements-test.txt
rm -rf var/bench/mail var/bench/*.log  # this run's emails and logs only (the generated exports are kept)
mkdir -p var/bench/mail
PY=.venv/bin/python
# Production settings as `make run` sets them for plain HTTP on 127.0.0.1, with throwaway keys.
export DJANGO_SETTINGS_MODULE=bench.settings DEBUG=False SECURE_SSL_REDIRECT=False SECURE_COOKIES=False SECURE_HSTS_SECONDS=0
export SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')"
export TIN_ENCRYPTION_KEYS="$($PY -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
export TIN_INDEX_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(32))')"
export ALLOWED_HOSTS=127.0.0.1 SITE_URL=http://127.0.0.1 CSRF_TRUSTED_ORIGINS=
export EMAIL_URL="filemail://$ROOT/var/bench/mail" EMR_EXPORT_DIR="$ROOT/var/bench/emr-exports"
# The same PostgreSQL server as setup.sh found, another database: BENCH_DATABASE_URL, else mips_bench_run.
DATABASE_URL="${BENCH_DATABASE_URL:-$($PY -c 'import sys, urllib.parse as u; print(u.urlunsplit(u.urlsplit(sys.argv[1])._replace(path="/mips_bench_run")))' "$DATABASE_URL")}"
export DATABASE_URL
say "Benchmarks against $DATABASE_URL (this takes a few minutes)"
exec "$PY" -m bench.runner "$@"
