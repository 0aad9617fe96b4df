"""The SQLite backend: one file, WAL, one connection per thread, forward-only migrations."""

from talentos_core.backends.sqlite.store import SQLiteStore

__all__ = ["SQLiteStore"]
