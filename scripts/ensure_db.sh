#!/usr/bin/env bash
# Make sure a PostgreSQL server answers and export DATABASE_URL (sourced by scripts/setup.sh).
# Order: $DATABASE_URL if set; else a server on 127.0.0.1:5432; else a project-local cluster under var/pg
# (port 55432) made with the installed PostgreSQL binaries; else stop and say what to install.
PY="$ROOT/.venv/bin/python"

db_answers() {  # $1 = URL; creates the database if the server answers and it is missing
  "$PY" - "$1" <<'PY'
import sys, psycopg2, environ
cfg = environ.Env.db_url_config(sys.argv[1])
kw = dict(user=cfg.get("USER") or None, password=cfg.get("PASSWORD") or None, host=cfg.get("HOST") or None,
          port=cfg.get("PORT") or None, connect_timeout=3, **cfg.get("OPTIONS", {}))
try:
    psycopg2.connect(dbname=cfg["NAME"], **kw).close()
except psycopg2.OperationalError as e:
    if "does not exist" not in str(e):
        sys.exit(1)
    conn = psycopg2.connect(dbname="postgres", **kw); conn.autocommit = True
    conn.cursor().execute('CREATE DATABASE "%s"' % cfg["NAME"].replace('"', ''))
    print("created database " + cfg["NAME"], file=sys.stderr)
PY
}

if [ -n "${DATABASE_URL:-}" ]; then
  db_answers "$DATABASE_URL" || die "DATABASE_URL is set but no PostgreSQL answers there. Start that server or unset DATABASE_URL."
elif db_answers "postgres://postgres@127.0.0.1:5432/mips_portal" 2>/dev/null; then
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/mips_portal"
else
  PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
  [ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] || die "No PostgreSQL answers on 127.0.0.1:5432 and none is installed. Install it (Debian: apt-get install -y postgresql) or set DATABASE_URL."
  PGDATA_DIR="$ROOT/var/pg/data"; PGSOCK="$ROOT/var/pg/run"
  as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
  if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
    say "Creating a project-local PostgreSQL cluster in var/pg (port 55432)"
    mkdir -p "$PGDATA_DIR" "$PGSOCK"
    # initdb refuses to run as root, so as root the cluster belongs to the postgres user.
    [ "$(id -u)" = 0 ] && chown -R postgres "$ROOT/var/pg" && chmod o+x "$ROOT" "$ROOT/var"
    as_pg "'$PGBIN/initdb' -D '$PGDATA_DIR' -U postgres --auth=trust -E UTF8 >/dev/null"
  fi
  if ! as_pg "'$PGBIN/pg_ctl' -D '$PGDATA_DIR' status >/dev/null 2>&1"; then
    say "Starting the project-local PostgreSQL"
    as_pg "'$PGBIN/pg_ctl' -D '$PGDATA_DIR' -l '$ROOT/var/pg/server.log' -w -o \"-p 55432 -k $PGSOCK -c listen_addresses=127.0.0.1\" start >/dev/null" \
      || die "The project-local PostgreSQL did not start; see var/pg/server.log."
  fi
  export DATABASE_URL="postgres://postgres@127.0.0.1:55432/mips_portal"
  db_answers "$DATABASE_URL" || die "The project-local PostgreSQL does not answer on 127.0.0.1:55432; see var/pg/server.log."
fi
say "PostgreSQL: $DATABASE_URL"
