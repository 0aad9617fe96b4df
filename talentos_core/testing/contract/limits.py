"""The contract for rate limits: the hits of every bucket, per key, in one repository."""

from __future__ import annotations

from datetime import timedelta, timezone

from talentos_core.ports import Store
from talentos_core.testing.contract._support import at

PLUS_FIVE = timezone(timedelta(hours=5))
IP, OTHER_IP = "203.0.113.7", "198.51.100.2"


class RateLimitsContract:
    """Rate-limit hits: per bucket and key, read from a moment on, forgotten per bucket."""

    def test_hits_since_answers_hits_at_or_after_the_moment_oldest_first(
        self, store: Store
    ) -> None:
        """``hits_since`` includes a hit exactly at the moment and sorts by time."""
        with store.transaction() as uow:
            for seconds in (30, 10, 20, 5, 10.000001, 9.999999):
                uow.rate_limits.hit("apply", IP, at(seconds))
        assert store.reader().rate_limits.hits_since("apply", IP, at(10)) == [
            at(10),
            at(10.000001),
            at(20),
            at(30),
        ]

    def test_hits_are_counted_per_bucket_and_key(self, store: Store) -> None:
        """A key's hits in one bucket are not another key's, nor the same key's elsewhere."""
        with store.transaction() as uow:
            uow.rate_limits.hit("apply", IP, at(1))
            uow.rate_limits.hit("apply", OTHER_IP, at(2))
            uow.rate_limits.hit("mail", IP, at(3))
            uow.rate_limits.hit("APPLY", IP, at(4))
        reader = store.reader()
        assert [
            reader.rate_limits.hits_since(bucket, key, at(0))
            for bucket, key in (("apply", IP), ("apply", OTHER_IP), ("mail", IP), ("ai", IP))
        ] == [[at(1)], [at(2)], [at(3)], []]

    def test_every_hit_counts_even_at_the_same_instant(self, store: Store) -> None:
        """Two hits at the same instant are two hits."""
        with store.transaction() as uow:
            uow.rate_limits.hit("apply", IP, at(1))
            uow.rate_limits.hit("apply", IP, at(1).astimezone(PLUS_FIVE))
        with store.transaction() as uow:
            uow.rate_limits.hit("apply", IP, at(1))
        assert store.reader().rate_limits.hits_since("apply", IP, at(1)) == [at(1)] * 3

    def test_times_compare_as_instants_and_read_back_in_utc(self, store: Store) -> None:
        """Hits and moments in other zones compare as their instants; hits read back in UTC."""
        with store.transaction() as uow:
            uow.rate_limits.hit("apply", IP, at(10).astimezone(PLUS_FIVE))
            uow.rate_limits.hit("apply", IP, at(20))
        hits = store.reader().rate_limits.hits_since("apply", IP, at(10).astimezone(PLUS_FIVE))
        assert [(hit, hit.utcoffset()) for hit in hits] == [
            (at(10), timedelta(0)),
            (at(20), timedelta(0)),
        ]
        later = at(10.000001).astimezone(PLUS_FIVE)
        assert store.reader().rate_limits.hits_since("apply", IP, later) == [at(20)]

    def test_forget_before_drops_only_that_buckets_older_hits(self, store: Store) -> None:
        """``forget_before`` keeps hits at or after the moment, and every other bucket's."""
        with store.transaction() as uow:
            for bucket, key, seconds in (
                ("apply", IP, 1),
                ("apply", IP, 9),
                ("apply", IP, 12),
                ("apply", OTHER_IP, 2),
                ("mail", IP, 1),
            ):
                uow.rate_limits.hit(bucket, key, at(seconds))
            uow.rate_limits.forget_before("apply", at(9))
        reader = store.reader()
        assert [
            reader.rate_limits.hits_since(bucket, key, at(0))
            for bucket, key in (("apply", IP), ("apply", OTHER_IP), ("mail", IP))
        ] == [[at(9), at(12)], [], [at(1)]]

    def test_a_key_without_hits_has_none(self, store: Store) -> None:
        """``hits_since`` answers an empty list for a key never hit, and forgetting an empty
        bucket is harmless."""
        with store.transaction() as uow:
            uow.rate_limits.forget_before("apply", at(0))
        assert store.reader().rate_limits.hits_since("apply", IP, at(-1)) == []
