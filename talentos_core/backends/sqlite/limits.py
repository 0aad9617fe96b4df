"""SQLite rate-limit hits: one row per hit, in one table for every bucket."""

from __future__ import annotations

import builtins
from datetime import datetime

from talentos_core.backends.sqlite.base import SQLiteRepository
from talentos_core.clock import isoformat, parse_iso


class SQLiteRateLimits(SQLiteRepository[datetime]):
    table = "rate_limits"

    def hit(self, bucket: str, key: str, at: datetime) -> None:
        self._c.execute(
            "INSERT INTO rate_limits (bucket, key, at) VALUES (?, ?, ?)",
            (bucket, key, isoformat(at)),
        )

    def hits_since(self, bucket: str, key: str, moment: datetime) -> builtins.list[datetime]:
        cursor = self._c.execute(
            "SELECT at FROM rate_limits WHERE bucket = ? AND key = ? AND at >= ? ORDER BY at",
            (bucket, key, isoformat(moment)),
        )
        return [parse_iso(row[0]) for row in cursor]

    def forget_before(self, bucket: str, moment: datetime) -> None:
        self._c.execute(
            "DELETE FROM rate_limits WHERE bucket = ? AND at < ?", (bucket, isoformat(moment))
        )
