"""Limits port: the hits of every rate-limited bucket (public applies; later mail and AI)."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Protocol


class RateLimitRepository(Protocol):
    def hit(self, bucket: str, key: str, at: datetime) -> None:
        """Record one hit of ``key`` in ``bucket``."""
        ...

    def hits_since(self, bucket: str, key: str, moment: datetime) -> builtins.list[datetime]:
        """Times of ``key``'s hits in ``bucket`` at or after ``moment``, oldest first."""
        ...

    def forget_before(self, bucket: str, moment: datetime) -> None:
        """Drop the bucket's hits older than ``moment`` (they no longer count)."""
        ...
