"""Pagination shared by every list."""

from __future__ import annotations

from typing import Generic, TypeVar

import attrs

from talentos_core.domain.rules import Range, check, field

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

T = TypeVar("T")


def clamp_limit(limit: int) -> int:
    """Lists answer at most :data:`MAX_LIMIT` items; a larger ask is clamped, not refused."""
    return min(limit, MAX_LIMIT)


@attrs.frozen
class PageRequest:
    limit: int = field(Range(1), default=DEFAULT_LIMIT, doc="Items per page; above 200 is 200.")
    offset: int = field(Range(0), default=0, doc="Items to skip.")

    def __attrs_post_init__(self) -> None:
        # Refused here, not only by check(): every store would page a negative value its
        # own way (a slice from the end, or no limit at all).
        check(self)
        object.__setattr__(self, "limit", clamp_limit(self.limit))


@attrs.frozen
class Page(Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
