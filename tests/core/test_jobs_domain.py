"""The job's transitions and lease rules, as pure functions of the job and the time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from talentos_core.domain.jobs import (
    LEASE_MARGIN,
    RESOLUTION,
    JobStatus,
    check_claim,
    kind_set,
    lease_for,
)
from talentos_core.testing.contract import at, make_job

LEASE = timedelta(seconds=30)


class TestClaimable:
    def test_a_queued_job_is_claimable_from_its_run_at_on(self) -> None:
        """Not a microsecond before ``run_at``; at it and after, yes."""
        job = make_job("job_1", run_at=at(10))
        moments = [at(10) - RESOLUTION, at(10), at(99)]
        assert [job.claimable(moment) for moment in moments] == [False, True, True]

    def test_a_lease_keeps_a_job_unclaimable_through_its_last_instant(self) -> None:
        """A lease ending at ``t`` still lives at ``t``; the job is claimable just after."""
        job = make_job("job_1").claimed("w1", at(30))
        assert [job.claimable(at(30)), job.claimable(at(30) + RESOLUTION)] == [False, True]

    def test_finished_jobs_are_never_claimable(self) -> None:
        """Done and dead jobs stay put, however late it gets."""
        job = make_job("job_1").claimed("w1", at(1))
        finished = [job.completed(at(0)), job.buried(at(0), "x")]
        assert [job.claimable(at(99)) for job in finished] == [False, False]


class TestTransitions:
    def test_a_claim_leases_the_job_and_counts_an_attempt(self) -> None:
        """Claiming sets the owner and the lease's end, and adds one attempt."""
        job = make_job("job_1", attempts=2).claimed("w1", at(5))
        assert (job.lease_owner, job.lease_expires_at, job.attempts) == ("w1", at(5), 3)

    def test_only_the_last_claimer_of_a_queued_job_holds_it(self) -> None:
        """The lease is held by whoever claimed last, lapsed or not, until an outcome."""
        first = make_job("job_1").claimed("w1", at(5))
        second = first.claimed("w2", at(50))
        assert [
            first.held_by("w1"),
            second.held_by("w1"),
            second.held_by("w2"),
            second.completed(at(6)).held_by("w2"),
            make_job("job_2").held_by("w1"),
        ] == [True, False, True, False, False]

    def test_every_outcome_releases_the_lease(self) -> None:
        """Complete, retry and bury leave no owner and no lease end behind."""
        job = make_job("job_1").claimed("w1", at(5))
        outcomes = [job.completed(at(1)), job.retried(at(9), "boom"), job.buried(at(1), "gone")]
        assert [(o.status, o.lease_owner, o.lease_expires_at) for o in outcomes] == [
            (JobStatus.DONE, None, None),
            (JobStatus.QUEUED, None, None),
            (JobStatus.DEAD, None, None),
        ]

    def test_retry_moves_run_at_and_keeps_the_attempts(self) -> None:
        """A retried job runs at the new time; its attempts are those already made."""
        job = make_job("job_1").claimed("w1", at(5)).retried(at(60), "HTTP 503")
        assert (job.run_at, job.attempts, job.last_error, job.finished_at) == (
            at(60),
            1,
            "HTTP 503",
            None,
        )


class TestAvailableAt:
    def test_an_unleased_job_is_available_at_its_run_at_even_if_past(self) -> None:
        """A job nobody holds (or whose lease lapsed) is available at ``run_at``."""
        lapsed = make_job("job_1", run_at=at(-5)).claimed("w1", at(1))
        unleased = make_job("job_2", run_at=at(-5))
        assert [unleased.available_at(at(0)), lapsed.available_at(at(2))] == [at(-5), at(-5)]

    def test_a_leased_job_is_available_just_after_its_lease_or_at_its_run_at(self) -> None:
        """Under a live lease: the later of the first instant after the lease and ``run_at``."""
        leased = make_job("job_1", run_at=at(0)).claimed("w1", at(30))
        retried_later = make_job("job_2", run_at=at(90)).claimed("w1", at(30))
        assert [leased.available_at(at(30)), retried_later.available_at(at(0))] == [
            at(30) + RESOLUTION,
            at(90),
        ]

    def test_a_finished_job_is_never_available(self) -> None:
        """Done and dead jobs have no moment."""
        job = make_job("job_1").claimed("w1", at(5))
        finished = [job.completed(at(1)), job.buried(at(1), "x")]
        assert [job.available_at(at(0)) for job in finished] == [None, None]


class TestLeaseRules:
    def test_a_lease_outlasts_the_attempt_by_the_margin(self) -> None:
        """``lease_for`` adds the margin (30 seconds unless given) to the attempt's timeout."""
        assert (lease_for(timedelta(seconds=10)), lease_for(LEASE, timedelta(seconds=1))) == (
            timedelta(seconds=10) + LEASE_MARGIN,
            timedelta(seconds=31),
        )
        assert timedelta(seconds=30) == LEASE_MARGIN

    @pytest.mark.parametrize(
        ("lease", "limit"), [(timedelta(0), 1), (-LEASE, 1), (LEASE, 0), (LEASE, -1)]
    )
    def test_a_claim_needs_a_positive_lease_and_a_limit(self, lease: timedelta, limit: int) -> None:
        """A lease of nothing or less, or a limit below one, is a ValueError."""
        with pytest.raises(ValueError):
            check_claim(lease, limit)

    def test_kinds_are_a_collection_not_a_string(self) -> None:
        """``kinds`` becomes a set (None stays None); a bare string is a TypeError."""
        assert (kind_set(None), kind_set(["a", "b", "a"]), kind_set(())) == (
            None,
            frozenset({"a", "b"}),
            frozenset(),
        )
        with pytest.raises(TypeError):
            kind_set("webhook.deliver")
