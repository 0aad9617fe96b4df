"""The contract for the job queue: leases that keep claimers apart and lapse when a worker
dies, and outcomes recorded only by the holder of the lease."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import run_state_machine_as_test

from talentos_core.domain.jobs import Job, JobStatus
from talentos_core.errors import Conflict
from talentos_core.ports import Store
from talentos_core.testing.contract._jobs_machine import JobHistories, machine_settings
from talentos_core.testing.contract._support import _TEXT, ACME, GLOBEX, _hypothesis, at, fresh
from talentos_core.testing.contract.builders import full_job, make_job

LEASE = timedelta(seconds=30)
TICK = timedelta(microseconds=1)
PLUS_FIVE = timezone(timedelta(hours=5))


def _enqueue(store: Store, *jobs: Job) -> None:
    with store.transaction() as uow:
        for job in jobs:
            uow.jobs.enqueue(job)


def _claim(
    store: Store,
    owner: str,
    now: datetime,
    *,
    limit: int = 10,
    lease: timedelta = LEASE,
    kinds: Collection[str] | None = None,
) -> list[Job]:
    with store.transaction() as uow:
        return uow.jobs.claim(owner, now, lease, limit, kinds)


def _get(store: Store, job_id: str) -> Job:
    found = store.reader().jobs.get(job_id)
    assert found is not None, f"{job_id} is not stored"
    return found


def _claimed_ids(store: Store, owner: str, now: datetime, **options: Any) -> list[str]:
    return [job.id for job in _claim(store, owner, now, **options)]


class JobsContract:
    """The job queue: enqueue with the caller's transaction, claim under a lease, and record
    an outcome only while holding it."""

    def test_every_field_of_a_job_round_trips(self, store: Store) -> None:
        """A job with every field set reads back equal; what was enqueued and what was read
        are copies: mutating either payload changes nothing stored."""
        enqueued = full_job()
        _enqueue(store, enqueued, make_job("job_small"))
        enqueued.payload["nested"]["list"].clear()
        reader = store.reader()
        assert (reader.jobs.get("job_full"), reader.jobs.get("job_small")) == (
            full_job(),
            make_job("job_small"),
        )
        read = _get(store, "job_full")
        read.payload["nested"]["list"].append(9)
        read.payload.clear()
        assert store.reader().jobs.get("job_full") == full_job()

    def test_a_duplicate_job_id_is_a_conflict_and_an_unknown_one_is_none(
        self, store: Store
    ) -> None:
        """Enqueueing an id that exists raises Conflict and keeps the first; ``get`` of an
        unknown id answers None."""
        _enqueue(store, make_job("job_1"))
        with pytest.raises(Conflict), store.transaction() as uow:
            uow.jobs.enqueue(make_job("job_1", kind="mail.send"))
        reader = store.reader()
        assert (reader.jobs.get("job_1"), reader.jobs.get("job_2"), reader.jobs.count()) == (
            make_job("job_1"),
            None,
            1,
        )

    def test_enqueue_commits_or_rolls_back_with_the_callers_transaction(self, store: Store) -> None:
        """A job enqueued in a unit of work that fails is gone with the rest of it."""
        with pytest.raises(RuntimeError), store.transaction() as uow:
            uow.jobs.enqueue(make_job("job_lost"))
            raise RuntimeError("the caller's change failed")
        with store.transaction() as uow:
            uow.jobs.enqueue(make_job("job_kept"))
        reader = store.reader()
        assert (reader.jobs.get("job_lost"), reader.jobs.count()) == (None, 1)

    def test_claim_takes_due_jobs_oldest_run_at_first_then_by_id(self, store: Store) -> None:
        """Jobs due at or before ``now`` are claimed by ``run_at``, ties by id; later ones wait."""
        _enqueue(
            store,
            make_job("job_c", run_at=at(2)),
            make_job("job_a", run_at=at(2)),
            make_job("job_b", run_at=at(-5)),
            make_job("job_d", run_at=at(3)),
            make_job("job_e", run_at=at(3) + TICK),
        )
        assert _claimed_ids(store, "w1", at(3)) == ["job_b", "job_a", "job_c", "job_d"]
        assert _claimed_ids(store, "w1", at(3)) == []
        assert _claimed_ids(store, "w1", at(3) + TICK) == ["job_e"]

    def test_claim_takes_at_most_limit_and_the_next_claim_the_rest(self, store: Store) -> None:
        """``limit`` bounds a claim; the next claimer gets the following jobs in order."""
        _enqueue(store, *(make_job(f"job_{n}", run_at=at(n)) for n in range(5)))
        assert [
            _claimed_ids(store, "w1", at(9), limit=2),
            _claimed_ids(store, "w2", at(9), limit=2),
            _claimed_ids(store, "w1", at(9), limit=2),
            _claimed_ids(store, "w2", at(9), limit=2),
        ] == [["job_0", "job_1"], ["job_2", "job_3"], ["job_4"], []]

    def test_claim_takes_only_the_kinds_asked_for(self, store: Store) -> None:
        """``kinds`` narrows a claim (an empty collection to nothing); ``None`` means any."""
        _enqueue(
            store,
            make_job("job_hook", kind="webhook.deliver"),
            make_job("job_mail", kind="mail.send"),
            make_job("job_ai", kind="ai.summarise"),
        )
        assert _claimed_ids(store, "w1", at(0), kinds=[]) == []
        assert _claimed_ids(store, "w1", at(0), kinds=("mail.send", "other")) == ["job_mail"]
        assert _claimed_ids(store, "w1", at(0), kinds={"webhook.deliver"}) == ["job_hook"]
        assert _claimed_ids(store, "w1", at(0)) == ["job_ai"]

    def test_a_claim_leases_the_job_and_counts_the_attempt(self, store: Store) -> None:
        """A claimed job comes back, and reads back, leased to its owner until now + lease,
        with one more attempt."""
        _enqueue(store, make_job("job_1", attempts=2, last_error="timed out"))
        expected = make_job(
            "job_1",
            attempts=3,
            last_error="timed out",
            lease_owner="w1",
            lease_expires_at=at(1) + LEASE,
        )
        assert _claim(store, "w1", at(1)) == [expected]
        assert store.reader().jobs.get("job_1") == expected

    def test_a_claimed_job_is_claimable_again_only_after_its_lease(self, store: Store) -> None:
        """While a lease lives (its last instant included) nobody claims the job; after it
        lapses, as when its worker died, another worker claims it for a second attempt."""
        _enqueue(store, make_job("job_1"))
        _claim(store, "w1", at(0))
        expires = at(0) + LEASE
        assert [
            _claimed_ids(store, "w2", at(1)),
            _claimed_ids(store, "w1", expires),
            _claimed_ids(store, "w2", expires + TICK),
        ] == [[], [], ["job_1"]]
        job = store.reader().jobs.get("job_1")
        assert job == make_job(
            "job_1", attempts=2, lease_owner="w2", lease_expires_at=expires + TICK + LEASE
        )

    def test_renew_extends_only_the_holders_lease(self, store: Store) -> None:
        """The holder's renewal moves its lease's end, so the job stays unclaimable past the
        old end; another owner's renewal is refused and changes nothing."""
        _enqueue(store, make_job("job_1"))
        _claim(store, "w1", at(0))
        with store.transaction() as uow:
            renewed = uow.jobs.renew("job_1", "w1", at(100))
            refused = uow.jobs.renew("job_1", "w2", at(500))
        assert (renewed, refused) == (True, False)
        assert _claimed_ids(store, "w2", at(0) + LEASE + TICK) == []
        assert store.reader().jobs.get("job_1") == make_job(
            "job_1", attempts=1, lease_owner="w1", lease_expires_at=at(100)
        )
        assert _claimed_ids(store, "w2", at(100) + TICK) == ["job_1"]

    def test_a_lapsed_lease_still_held_may_be_renewed_or_finished(self, store: Store) -> None:
        """Until another worker claims the job, the holder of a lapsed lease still holds it."""
        _enqueue(store, make_job("job_1"), make_job("job_2"))
        _claim(store, "w1", at(0))
        later = at(0) + LEASE * 3
        with store.transaction() as uow:
            answers = [
                uow.jobs.renew("job_1", "w1", later),
                uow.jobs.complete("job_2", "w1", later),
            ]
        assert answers == [True, True]
        assert [_claimed_ids(store, "w2", later), _claimed_ids(store, "w2", later + TICK)] == [
            [],
            ["job_1"],
        ]

    def test_a_stale_holder_can_record_no_outcome(self, store: Store) -> None:
        """Once another worker claimed the job after the lease lapsed, the first worker's
        renew, complete, retry and bury each answer False and change nothing."""
        _enqueue(store, make_job("job_1"))
        _claim(store, "w1", at(0))
        [taken] = _claim(store, "w2", at(0) + LEASE + TICK)
        with store.transaction() as uow:
            answers = [
                uow.jobs.renew("job_1", "w1", at(999)),
                uow.jobs.complete("job_1", "w1", at(40)),
                uow.jobs.retry("job_1", "w1", at(50), "stale"),
                uow.jobs.bury("job_1", "w1", at(40), "stale"),
            ]
        assert (answers, store.reader().jobs.get("job_1")) == ([False] * 4, taken)

    def test_complete_marks_the_job_done_and_releases_the_lease(self, store: Store) -> None:
        """A completed job is done at ``now`` with no lease, is never claimed again, and a
        second outcome is refused."""
        _enqueue(store, make_job("job_1", last_error="earlier failure"))
        _claim(store, "w1", at(0))
        with store.transaction() as uow:
            assert uow.jobs.complete("job_1", "w1", at(3).astimezone(PLUS_FIVE)) is True
        with store.transaction() as uow:
            again = [
                uow.jobs.complete("job_1", "w1", at(4)),
                uow.jobs.retry("job_1", "w1", at(4), "late"),
                uow.jobs.bury("job_1", "w1", at(4), "late"),
                uow.jobs.renew("job_1", "w1", at(99)),
            ]
        done = _get(store, "job_1")
        assert (again, done) == (
            [False] * 4,
            make_job(
                "job_1",
                status=JobStatus.DONE,
                attempts=1,
                last_error="earlier failure",
                finished_at=at(3),
            ),
        )
        assert done.finished_at is not None and done.finished_at.utcoffset() == timedelta(0)
        assert _claimed_ids(store, "w2", at(10**6)) == []

    def test_retry_queues_the_job_again_at_the_given_time(self, store: Store) -> None:
        """A retried job is queued with its new ``run_at`` and error and no lease; it is not
        due before then, and at then it is claimed for its next attempt."""
        _enqueue(store, make_job("job_1"))
        _claim(store, "w1", at(0))
        with store.transaction() as uow:
            assert uow.jobs.retry("job_1", "w1", at(60), "HTTP 500") is True
        assert store.reader().jobs.get("job_1") == make_job(
            "job_1", run_at=at(60), attempts=1, last_error="HTTP 500"
        )
        assert [_claimed_ids(store, "w2", at(60) - TICK), _claimed_ids(store, "w2", at(60))] == [
            [],
            ["job_1"],
        ]
        assert store.reader().jobs.get("job_1") == make_job(
            "job_1",
            run_at=at(60),
            attempts=2,
            last_error="HTTP 500",
            lease_owner="w2",
            lease_expires_at=at(60) + LEASE,
        )

    def test_a_retry_may_come_due_before_the_old_lease_would_have_ended(self, store: Store) -> None:
        """Retrying releases the lease: a job retried at once is claimable at once."""
        _enqueue(store, make_job("job_1"))
        _claim(store, "w1", at(0))
        with store.transaction() as uow:
            uow.jobs.retry("job_1", "w1", at(1), "try again")
        assert _claimed_ids(store, "w2", at(1)) == ["job_1"]

    def test_bury_marks_the_job_dead_for_good(self, store: Store) -> None:
        """A buried job is dead at ``now`` with its error and no lease, and never claimed."""
        _enqueue(store, make_job("job_1", tenant_id=ACME))
        _claim(store, "w1", at(0))
        with store.transaction() as uow:
            assert uow.jobs.bury("job_1", "w1", at(2), "410 Gone") is True
        assert store.reader().jobs.get("job_1") == make_job(
            "job_1",
            tenant_id=ACME,
            status=JobStatus.DEAD,
            attempts=1,
            last_error="410 Gone",
            finished_at=at(2),
        )
        assert _claimed_ids(store, "w1", at(10**6)) == []

    def test_no_outcome_is_recorded_for_an_unclaimed_or_unknown_job(self, store: Store) -> None:
        """Nobody holds a job never claimed, nor one that does not exist."""
        _enqueue(store, make_job("job_1"))
        with store.transaction() as uow:
            answers = [
                uow.jobs.renew("job_1", "w1", at(9)),
                uow.jobs.complete("job_1", "w1", at(9)),
                uow.jobs.retry("job_1", "w1", at(9), "x"),
                uow.jobs.bury("job_1", "w1", at(9), "x"),
                uow.jobs.complete("job_ghost", "w1", at(9)),
            ]
        assert (answers, store.reader().jobs.get("job_1")) == ([False] * 5, make_job("job_1"))

    def test_outcomes_and_claims_roll_back_with_their_transaction(self, store: Store) -> None:
        """A claim or an outcome in a unit of work that fails leaves the job as it was."""
        _enqueue(store, make_job("job_1"))
        with pytest.raises(RuntimeError), store.transaction() as uow:
            assert len(uow.jobs.claim("w1", at(0), LEASE, 1)) == 1
            raise RuntimeError("the worker crashed before committing")
        assert store.reader().jobs.get("job_1") == make_job("job_1")
        [claimed] = _claim(store, "w1", at(0))
        with pytest.raises(RuntimeError), store.transaction() as uow:
            assert uow.jobs.complete("job_1", "w1", at(1)) is True
            raise RuntimeError("the commit never happened")
        assert store.reader().jobs.get("job_1") == claimed

    def test_claim_needs_a_transaction_a_positive_lease_and_a_limit(self, store: Store) -> None:
        """A claim outside a unit of work raises RuntimeError; a lease of nothing, a limit
        below one, or a bare string as kinds is refused before anything is read."""
        _enqueue(store, make_job("job_1"))
        with pytest.raises(RuntimeError):
            store.reader().jobs.claim("w1", at(0), LEASE, 1)
        for lease, limit, kinds, error in (
            (timedelta(0), 1, None, ValueError),
            (-LEASE, 1, None, ValueError),
            (LEASE, 0, None, ValueError),
            (LEASE, 1, "webhook.deliver", TypeError),
        ):
            with pytest.raises(error), store.transaction() as uow:
                uow.jobs.claim("w1", at(0), lease, limit, kinds)
        assert store.reader().jobs.get("job_1") == make_job("job_1")

    def test_count_by_status_and_kind(self, store: Store) -> None:
        """``count`` counts jobs of every tenant, narrowed by status, kind, or both."""
        _enqueue(
            store,
            make_job("job_1", kind="mail.send", tenant_id=ACME),
            make_job("job_2", kind="mail.send", tenant_id=GLOBEX, status=JobStatus.DONE),
            make_job("job_3", status=JobStatus.DEAD),
            make_job("job_4", status=JobStatus.DEAD),
            make_job("job_5"),
        )
        jobs = store.reader().jobs
        assert [
            jobs.count(),
            jobs.count(JobStatus.QUEUED),
            jobs.count(JobStatus.DONE),
            jobs.count(JobStatus.DEAD),
            jobs.count(kind="mail.send"),
            jobs.count(JobStatus.DEAD, "webhook.deliver"),
            jobs.count(JobStatus.DEAD, "mail.send"),
            jobs.count(kind="mail"),
        ] == [5, 2, 1, 2, 2, 2, 0, 0]

    def test_next_run_at_is_the_first_moment_a_claim_could_take_a_job(self, store: Store) -> None:
        """``next_run_at`` is the earliest ``run_at`` of a queued job of the kinds, even one
        past; a job under a live lease counts from just after the lease; finished jobs and
        other kinds do not count; with nothing queued it is None."""
        assert store.reader().jobs.next_run_at(at(0)) is None
        _enqueue(
            store,
            make_job("job_done", run_at=at(-50), status=JobStatus.DONE),
            make_job("job_dead", run_at=at(-40), status=JobStatus.DEAD),
            make_job("job_mail", run_at=at(-30), kind="mail.send"),
            make_job("job_hook", run_at=at(-20)),
            make_job("job_later", run_at=at(90)),
        )
        jobs = store.reader().jobs
        assert [
            jobs.next_run_at(at(0)),
            jobs.next_run_at(at(0), kinds=["webhook.deliver"]),
            jobs.next_run_at(at(0), kinds=["ai.summarise"]),
            jobs.next_run_at(at(0), kinds=[]),
        ] == [at(-30), at(-20), None, None]
        _claim(store, "w1", at(0), kinds=["webhook.deliver"], limit=1)
        _claim(store, "w1", at(0), kinds=["mail.send"], lease=timedelta(seconds=200))
        jobs = store.reader().jobs
        assert [
            jobs.next_run_at(at(0).astimezone(PLUS_FIVE)),
            jobs.next_run_at(LEASE + at(0), kinds=["webhook.deliver"]),
            jobs.next_run_at(LEASE + at(0) + TICK, kinds=["webhook.deliver"]),
            jobs.next_run_at(at(0), kinds=["mail.send"]),
        ] == [at(0) + LEASE + TICK, at(0) + LEASE + TICK, at(-20), at(200) + TICK]
        found = jobs.next_run_at(at(0).astimezone(PLUS_FIVE))
        assert found is not None and found.utcoffset() == timedelta(0)

    def test_delete_for_tenant_deletes_only_that_tenants_jobs(self, store: Store) -> None:
        """Every job of the tenant goes, whatever its status or lease; other tenants' jobs and
        jobs of no tenant stay; the holder of a deleted job records nothing."""
        _enqueue(
            store,
            make_job("job_a1", tenant_id=ACME),
            make_job("job_a2", tenant_id=ACME, status=JobStatus.DEAD),
            make_job("job_g1", tenant_id=GLOBEX),
            make_job("job_none"),
        )
        _claim(store, "w1", at(0), limit=1)
        with store.transaction() as uow:
            uow.jobs.delete_for_tenant(ACME)
            uow.jobs.delete_for_tenant("ghost")
        jobs = store.reader().jobs
        assert [jobs.get(job_id) is None for job_id in ("job_a1", "job_a2", "job_g1")] == [
            True,
            True,
            False,
        ]
        assert (jobs.count(), jobs.complete("job_a1", "w1", at(1))) == (2, False)

    def test_job_times_compare_as_instants_and_read_back_in_utc(self, store: Store) -> None:
        """A run_at and a now in other zones compare as instants; every time reads back in UTC."""
        _enqueue(
            store,
            make_job("job_1", run_at=at(10).astimezone(PLUS_FIVE)),
            make_job("job_2", run_at=at(11).astimezone(PLUS_FIVE)),
        )
        claimed = _claim(store, "w1", at(10).astimezone(PLUS_FIVE))
        assert claimed == [
            make_job(
                "job_1",
                run_at=at(10),
                attempts=1,
                lease_owner="w1",
                lease_expires_at=at(10) + LEASE,
            )
        ]
        assert claimed[0].lease_expires_at is not None
        assert claimed[0].lease_expires_at.utcoffset() == timedelta(0)
        read = _get(store, "job_1")
        assert [read.run_at.utcoffset(), read.lease_expires_at] == [timedelta(0), at(10) + LEASE]
        assert read.lease_expires_at is not None and read.lease_expires_at.tzinfo == UTC

    @_hypothesis
    @given(
        kind=_TEXT.filter(bool),
        error=_TEXT,
        payload=st.dictionaries(
            _TEXT,
            st.recursive(
                st.none()
                | st.booleans()
                | st.integers(-(2**53), 2**53)
                | st.floats(allow_nan=False)
                | _TEXT,
                lambda inner: (
                    st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3)
                ),
                max_leaves=8,
            ),
            max_size=4,
        ),
    )
    def test_any_json_payload_kind_and_error_round_trip(
        self, store: Store, kind: str, error: str, payload: dict[str, Any]
    ) -> None:
        """For any JSON object as payload and any text as kind and error, a job reads back
        equal, and is claimed by its kind."""
        job = make_job(fresh("job"), kind=kind, payload=payload, last_error=error)
        _enqueue(store, job)
        assert store.reader().jobs.get(job.id) == job
        assert job.id in _claimed_ids(store, "w1", at(0), kinds=[kind])

    def test_random_job_histories_agree_with_the_memory_store(self, store: Store) -> None:
        """Random enqueues, claims by three workers, renewals, outcomes, deletions and time
        passing give the same answers here as on a fresh memory store; no job is ever claimed
        under another live lease, only holders record outcomes, and counts add up."""
        # Hypothesis documents a factory as accepted where its signature says a class.
        factory = cast("type[JobHistories]", lambda: JobHistories(store))
        run_state_machine_as_test(factory, settings=machine_settings)
