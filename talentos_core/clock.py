"""The Clock port: services ask it for the time, so tests can freeze and move it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        return datetime.now(UTC)


def isoformat(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``, the one time format of the API and the stores.

    Always six fractional digits, so stored times sort as text. (Formatted by hand from
    tables of digits: this runs for every time of every item of every list response, and is
    three times as fast as ``datetime.isoformat``; see docs/performance.md.)
    """
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    year = moment.year
    if year < 1000:  # str(year) would not have four digits
        return _ISO_UTC % (
            year,
            moment.month,
            moment.day,
            moment.hour,
            moment.minute,
            moment.second,
            moment.microsecond,
        )
    micro = moment.microsecond
    return (
        f"{year}-{_2[moment.month]}-{_2[moment.day]}T{_2[moment.hour]}:{_2[moment.minute]}"
        f":{_2[moment.second]}.{_3[micro // 1000]}{_3[micro % 1000]}Z"
    )


_ISO_UTC = "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ"
_2 = tuple(f"{number:02d}" for number in range(100))
_3 = tuple(f"{number:03d}" for number in range(1000))


def parse_iso(text: str) -> datetime:
    """Parse a time written by :func:`isoformat` (or any ISO 8601 with an offset), in UTC.

    Raises :class:`ValueError` for anything else: no offset, a NUL character (the C parser
    would stop reading there and accept what came before), or a time that leaves years
    1-9999 once moved to UTC (``9999-12-31T23:59:59-01:00``), which ``datetime`` cannot hold.
    """
    if "\x00" in text:
        raise ValueError("time contains a NUL character")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is UTC:  # what isoformat writes (``Z``): already the result
        return moment
    if moment.tzinfo is None:
        raise ValueError("time has no time zone")
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("time is out of range in UTC") from None
