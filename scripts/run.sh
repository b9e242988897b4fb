#!/usr/bin/env bash
# `make run`: set everything up, load demo data, start the worker and the web server on http://127.0.0.1:8000.
source "$(dirname "$0")/setup.sh" requirements.txt
PORT="${PORT:-8000}"
[ -f var/secret_key ] || .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
[ -f var/tin_key ] || .venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' > var/tin_key
[ -f var/tin_index_key ] || .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))' > var/tin_index_key
mkdir -p var/mail var/emr-exports
# A local demo over plain HTTP: production settings, except HTTPS-only cookies, redirects and HSTS.
export SECRET_KEY="$(cat var/secret_key)" TIN_ENCRYPTION_KEYS="$(cat var/tin_key)" TIN_INDEX_KEY="$(cat var/tin_index_key)" DEBUG=False SECURE_SSL_REDIRECT=False SECURE_COOKIES=False SECURE_HSTS_SECONDS=0
export ALLOWED_HOSTS="127.0.0.1,localhost" SITE_URL="http://127.0.0.1:$PORT"
export EMAIL_URL="filemail://$ROOT/var/mail" EMR_EXPORT_DIR="$ROOT/var/emr-exports"
say "Migrating the database"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_qpp_data --year 2021 -v0
.venv/bin/python manage.py collectstatic --noinput -v0
say "Loading demo data"
.venv/bin/python manage.py seed_demo
say "Starting the background worker (db_worker) and the web server"
.venv/bin/python manage.py db_worker --no-reload --interval 1 >var/worker.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null' EXIT INT TERM
cat <<TXT

  MIPS Portal is running at  http://127.0.0.1:$PORT/
  Staff (Django admin):      http://127.0.0.1:$PORT/admin/   staff@mips-portal.example / demo staff passphrase 2021
                             then one of the recovery codes printed above by seed_demo (each works once);
                             set up an authenticator app at /accounts/two-step/ to sign in with it next time
  Demo practice administrator: sign up at http://127.0.0.1:$PORT/accounts/signup/ with  admin@sunrise-pt.example
  Emails (sign-up links):    written as files to  $ROOT/var/mail/
  Worker log:                $ROOT/var/worker.log          Stop with Ctrl-C.

TXT
.venv/bin/gunicorn mips_portal.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --no-control-socket --access-logfile - 
