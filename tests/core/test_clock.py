"""The one time format: ISO 8601 in UTC with six fractional digits and a Z, read back exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentos_core.clock import isoformat, parse_iso

ZONES = st.sampled_from(
    [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-11, minutes=-15))]
)
TIMES = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=ZONES)


def reference(moment: datetime) -> str:
    """What the format means, spelled with the standard library."""
    text = moment.astimezone(UTC).isoformat(timespec="microseconds")
    return text.replace("+00:00", "Z")


class TestIsoformat:
    @given(TIMES)
    def test_it_writes_the_standard_text_in_utc(self, moment: datetime) -> None:
        """Any aware time, in any zone and any year, is written as the standard library
        would write it in UTC, with Z for +00:00."""
        assert isoformat(moment) == reference(moment)

    @pytest.mark.parametrize(
        ("moment", "text"),
        [
            (datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC), "2025-01-02T03:04:05.000000Z"),
            (datetime(999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), "0999-12-31T23:59:59.999999Z"),
            (
                datetime(2025, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=1))),
                "2024-12-31T23:30:00.000000Z",
            ),
        ],
    )
    def test_known_times(self, moment: datetime, text: str) -> None:
        """Zero microseconds keep their six digits; early years their four; zones convert."""
        assert isoformat(moment) == text

    @given(TIMES, TIMES)
    def test_the_text_sorts_as_the_times_do(self, one: datetime, other: datetime) -> None:
        """Stored times sort as text: the order of the texts is the order of the times."""
        assert (isoformat(one) < isoformat(other)) == (one < other)


class TestParseIso:
    @given(TIMES)
    def test_it_reads_back_what_isoformat_wrote(self, moment: datetime) -> None:
        """The same instant comes back, in UTC."""
        parsed = parse_iso(isoformat(moment))
        assert parsed == moment
        assert parsed.tzinfo is UTC

    def test_other_offsets_are_converted_to_utc(self) -> None:
        """An offset other than Z is read and converted."""
        assert parse_iso("2025-01-01T01:00:00+01:00") == datetime(2025, 1, 1, tzinfo=UTC)
        assert parse_iso("2025-01-01T01:00:00+01:00").tzinfo is UTC

    def test_a_time_without_a_zone_is_refused(self) -> None:
        """A naive time is ambiguous: ValueError."""
        with pytest.raises(ValueError, match="time zone"):
            parse_iso("2025-01-01T01:00:00")
