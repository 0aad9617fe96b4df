"""In-memory rate-limit hits."""

from __future__ import annotations

import builtins
from datetime import UTC, datetime

from talentos_core.backends.memory.base import MemoryRepository


class MemoryRateLimits(MemoryRepository[builtins.list[datetime]]):
    """Hits kept per ``(bucket, key)`` as a sorted list of UTC times."""

    table = "rate_limits"

    def hit(self, bucket: str, key: str, at: datetime) -> None:
        with self._t.lock:
            times = self._find((bucket, key)) or []
            self._t.put(self.table, (bucket, key), sorted([*times, at.astimezone(UTC)]))

    def hits_since(self, bucket: str, key: str, moment: datetime) -> builtins.list[datetime]:
        times = self._find((bucket, key)) or []
        return [time for time in times if time >= moment]

    def forget_before(self, bucket: str, moment: datetime) -> None:
        with self._t.lock:
            for (kept_bucket, key), times in list(self._t.table(self.table).items()):
                if kept_bucket != bucket:
                    continue
                kept = [time for time in times if time >= moment]
                if not kept:
                    self._t.remove(self.table, (bucket, key))
                elif len(kept) < len(times):
                    self._t.put(self.table, (bucket, key), kept)
