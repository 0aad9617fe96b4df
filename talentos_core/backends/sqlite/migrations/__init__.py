"""Numbered, forward-only schema migrations, one module each (``m001_foundation`` …).

``migrate`` applies the ones not yet applied. Never edit a released migration: add the next
number as a new module and append its ``apply`` to :data:`MIGRATIONS`. Pending migrations
run in one ``BEGIN IMMEDIATE`` transaction together with their rows in ``schema_migrations``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import sqlite_utils

from talentos_core.backends.sqlite.migrations import m001_foundation, m002_pipeline, m003_jobs

Migration = Callable[[sqlite_utils.Database], None]


MIGRATIONS: list[Migration] = [m001_foundation.apply, m002_pipeline.apply, m003_jobs.apply]


def current_version(connection: sqlite3.Connection) -> int:
    exists = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if not exists:
        return 0
    row = connection.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(connection: sqlite3.Connection, applied_at: str) -> list[int]:
    """Apply every pending migration in order; return the versions applied.

    Runs under ``BEGIN IMMEDIATE`` so that two processes starting together on one file do
    not both migrate.
    """
    db = sqlite_utils.Database(connection)
    applied: list[int] = []
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        version = current_version(connection)
        if version > len(MIGRATIONS):
            raise RuntimeError(
                f"the database is at schema version {version}, newer than this TalentOS "
                f"({len(MIGRATIONS)}); upgrade TalentOS"
            )
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            migration(db)
            connection.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                (number, applied_at),
            )
            applied.append(number)
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return applied
