"""The benchmark's own databases, managed through the server's maintenance database (postgres)."""

import os

import environ
import psycopg2


def maintenance_sql(*statements: str, url: str | None = None) -> None:
    """Run statements (CREATE or DROP DATABASE) on the server of DATABASE_URL, connected to its postgres database."""
    cfg = environ.Env.db_url_config(url or os.environ["DATABASE_URL"])
    conn = psycopg2.connect(dbname="postgres", user=cfg.get("USER") or None, password=cfg.get("PASSWORD") or None,
                            host=cfg.get("HOST") or None, port=cfg.get("PORT") or None, **cfg.get("OPTIONS", {}))
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        conn.close()


def database_recreate(url: str) -> None:
    """Drop and create the benchmark's own database (refusing any name without "bench")."""
    name = environ.Env.db_url_config(url)["NAME"]
    if "bench" not in name:
        raise SystemExit(f"Refusing to drop database {name!r}: the benchmark database's name must contain 'bench'.")
    maintenance_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"', url=url)
