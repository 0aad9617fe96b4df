"""Rate limits: at most ``limit`` hits per ``window`` for one key of a bucket (an IP, an email).

The arithmetic is pure so that it can be tested without a store; services keep the hits in
the rate-limit repository (one table for every bucket) and ask :func:`retry_after`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

import attrs


@attrs.frozen
class RateLimit:
    """``limit`` hits per ``window`` for each key of ``bucket``; ``limit == 0`` means none."""

    bucket: str
    limit: int
    window: timedelta

    @property
    def enabled(self) -> bool:
        return self.limit > 0


def retry_after(hits: Sequence[datetime], rule: RateLimit, now: datetime) -> int | None:
    """Whole seconds until one more hit is allowed, or ``None`` if it is allowed now.

    ``hits`` are the key's hits inside the window ending at ``now`` (which includes its
    start), oldest first. With ``limit`` of them already there, the next is allowed once the
    oldest of the last ``limit`` has left the window: one second after it reaches the edge.
    """
    if not rule.enabled or len(hits) < rule.limit:
        return None
    frees_at = hits[-rule.limit] + rule.window
    return max(1, math.floor((frees_at - now).total_seconds()) + 1)
