"""Helpers the contract classes share: fixed times and tenants, fresh ids, seeding and paging
checks. The builders of each area's objects are in :mod:`.builders`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from talentos_core.domain.paging import PageRequest

#: A time with microseconds: stores must keep them.
T0 = datetime(2026, 3, 4, 5, 6, 7, 123456, tzinfo=UTC)
ACME, GLOBEX = "acme", "globex"
EVERYONE = PageRequest(limit=200)
_fresh = itertools.count(1)
_hypothesis = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_TEXT = st.text(st.characters(codec="utf-8"), max_size=40)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def ids(items: list[Any]) -> list[str]:
    return [item.id for item in items]


def fresh(prefix: str) -> str:
    """An id no earlier test or example in this process has used."""
    return f"{prefix}_{next(_fresh):08d}"


def _expect_pages(list_page: Callable[[PageRequest], Any], expected: list[str]) -> None:
    total = len(expected)
    for limit, offset in ((2, 0), (2, 2), (2, total - 1), (1, total), (3, total + 10)):
        page = list_page(PageRequest(limit=limit, offset=offset))
        assert (ids(page.items), page.total, page.limit, page.offset) == (
            expected[offset : offset + limit],
            total,
            limit,
            offset,
        )
