"""A Hypothesis state machine for the job queue: the backend under test and a fresh memory
store are fed the same random calls, with one fake clock, and must answer alike.

The backend under test keeps one store for every example, so each example works in its own
namespace: its own kinds, ids and tenants, and claims, counts and ``next_run_at`` always name
its kinds. Beside comparing answers, the machine keeps its own book of the leases the answers
handed out, and checks the backend against it: a job is never claimed while a lease on it
lives, and exactly the holder's outcomes are recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from talentos_core.backends.memory import MemoryStore
from talentos_core.domain.jobs import RESOLUTION, Job, JobStatus
from talentos_core.errors import TalentOSError
from talentos_core.ports import Store, UnitOfWork
from talentos_core.testing.contract._support import T0, fresh

T = TypeVar("T")
OWNERS = ("w1", "w2", "w3")
ZONES = (UTC, timezone(timedelta(hours=5)), timezone(timedelta(hours=-3, minutes=-30)))
_seconds = st.sampled_from([0.000001, 0.5, 1, 2, 6])
_PROBE = timedelta(seconds=1)

#: Each example runs up to 40 steps on a store that earlier examples have written to.
machine_settings = settings(
    max_examples=30,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


class _Abort(Exception):
    """A failure of the caller's own, raised inside a unit of work (which rolls it back)."""


class _Rollback(Exception):
    """Raised to undo a unit of work whose answer was only looked at; carries the answer."""


class _Refused(Exception):
    """Both stores raised the same error (its class name is the argument)."""


class JobHistories(RuleBasedStateMachine):
    """The backend under test beside a fresh memory store (the reference), one clock."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.reference = MemoryStore()
        self.stores = (store, self.reference)
        self.tag = fresh("run")
        self.kinds = (f"{self.tag}.a", f"{self.tag}.b")
        self.tenants = (f"{self.tag}-t1", f"{self.tag}-t2")
        self.now = T0
        #: Jobs that exist, with their kind and tenant.
        self.jobs: dict[str, tuple[str, str | None]] = {}
        #: The lease each job is under, as the answers handed it out: (owner, until).
        self.leases: dict[str, tuple[str, datetime]] = {}

    def teardown(self) -> None:
        self.reference.close()

    def same(self, call: Callable[[UnitOfWork], T], *, write: bool = True, keep: bool = True) -> T:
        """``call`` on both stores, answering alike: in a transaction if ``write``, rolled
        back unless ``keep``. Raises :class:`_Refused` if both raised the same error."""
        answers = [_outcome(store, call, write, keep) for store in self.stores]
        assert answers[0] == answers[1]
        kind, value = answers[0]
        if kind == "error":
            raise _Refused(value)
        result: T = value
        return result

    def job_id(self, data: st.DataObject) -> str:
        """Mostly a job under a lease (so that outcomes are often recorded), or any job, or
        one that does not exist."""
        leased = sorted(self.leases) * 3
        return data.draw(st.sampled_from([*leased, *sorted(self.jobs), f"job_{self.tag}_ghost"]))

    def owner(self, data: st.DataObject, job_id: str) -> str:
        """Mostly the holder of the job's lease, or any worker."""
        holder = self.leases.get(job_id, (OWNERS[0],))[0]
        return data.draw(st.sampled_from([holder, holder, *OWNERS]))

    def check_outcome(self, job_id: str, owner: str, recorded: bool) -> None:
        """Recorded exactly when ``owner`` holds the lease the answers handed out."""
        assert recorded == (self.leases.get(job_id, ("",))[0] == owner)

    # -- rules ---------------------------------------------------------------------------

    @initialize(
        jobs=st.lists(
            st.tuples(
                st.integers(0, 24),
                st.integers(0, 1),
                st.sampled_from([None, 0, 1]),
                st.sampled_from([-5, 0, 1, 3]),
            ),
            max_size=6,
        )
    )
    def a_few_jobs(self, jobs: list[tuple[int, int, int | None, float]]) -> None:
        for number, kind, tenant, delay in jobs:
            self.enqueue(number, kind, tenant, delay, {"n": number}, abort=False)

    @rule(
        number=st.integers(0, 24),
        kind=st.integers(0, 1),
        tenant=st.sampled_from([None, 0, 1]),
        delay=st.sampled_from([-5, 0, 0.000001, 1, 3, 10]),
        payload=st.dictionaries(st.sampled_from(["a", "é"]), st.integers() | st.text(max_size=3)),
        abort=st.sampled_from([False, False, False, True]),
    )
    def enqueue(
        self,
        number: int,
        kind: int,
        tenant: int | None,
        delay: float,
        payload: dict[str, Any],
        abort: bool,
    ) -> None:
        job = Job(
            id=f"job_{self.tag}_{number:02d}",
            kind=self.kinds[kind],
            payload=payload,
            run_at=self.now + timedelta(seconds=delay),
            created_at=self.now,
            tenant_id=None if tenant is None else self.tenants[tenant],
        )

        def enqueue(uow: UnitOfWork) -> None:
            uow.jobs.enqueue(job)
            if abort:
                raise _Abort()

        try:
            self.same(enqueue)
        except _Refused as refused:
            assert refused.args[0] == ("Conflict" if job.id in self.jobs else "_Abort")
            return
        assert job.id not in self.jobs and not abort
        self.jobs[job.id] = (job.kind, job.tenant_id)

    @rule(
        owner=st.sampled_from(OWNERS),
        lease=st.sampled_from([1, 2, 5]),
        limit=st.integers(1, 3),
        kinds=st.sampled_from([(0,), (1,), (0, 1), (0, 1), ()]),
        zone=st.sampled_from(ZONES),
        wait=st.sampled_from([0, 0, 0, 1, 2, 6]),
    )
    def claim(
        self,
        owner: str,
        lease: int,
        limit: int,
        kinds: tuple[int, ...],
        zone: timezone,
        wait: int,
    ) -> None:
        """Claim, often after a while (so that leases lapse and jobs are claimed again)."""
        self.now += timedelta(seconds=wait)
        names = [self.kinds[index] for index in kinds]
        due = [job for job in self.read() if job.kind in names and job.claimable(self.now)]
        expected = sorted(due, key=lambda job: (job.run_at, job.id))[:limit]
        now = self.now.astimezone(zone)
        claimed = self.same(
            lambda uow: uow.jobs.claim(owner, now, timedelta(seconds=lease), limit, names)
        )
        assert [job.id for job in claimed] == [job.id for job in expected]
        for job in claimed:
            previous = self.leases.get(job.id)
            assert previous is None or previous[1] < self.now, f"{job.id} claimed under a lease"
            self.leases[job.id] = (owner, self.now + timedelta(seconds=lease))

    @rule(data=st.data(), extra=_seconds)
    def renew(self, data: st.DataObject, extra: float) -> None:
        job_id = self.job_id(data)
        owner = self.owner(data, job_id)
        until = self.now + timedelta(seconds=extra)
        renewed = self.same(lambda uow: uow.jobs.renew(job_id, owner, until))
        self.check_outcome(job_id, owner, renewed)
        if renewed:
            self.leases[job_id] = (owner, until)

    @rule(
        data=st.data(),
        outcome=st.sampled_from(["complete", "retry", "bury"]),
        delay=st.sampled_from([-1, 0, 2, 5]),
    )
    def record(self, data: st.DataObject, outcome: str, delay: int) -> None:
        job_id = self.job_id(data)
        owner = self.owner(data, job_id)
        at = self.now + timedelta(seconds=delay)
        calls: dict[str, Callable[[UnitOfWork], bool]] = {
            "complete": lambda uow: uow.jobs.complete(job_id, owner, self.now),
            "retry": lambda uow: uow.jobs.retry(job_id, owner, at, f"failed at {self.now}"),
            "bury": lambda uow: uow.jobs.bury(job_id, owner, self.now, "gave up"),
        }
        recorded = self.same(calls[outcome])
        self.check_outcome(job_id, owner, recorded)
        if recorded:
            del self.leases[job_id]

    @rule(seconds=_seconds)
    def time_passes(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    @rule(tenant=st.sampled_from([0, 1, None]))
    def delete_for_tenant(self, tenant: int | None) -> None:
        tenant_id = "ghost" if tenant is None else self.tenants[tenant]
        self.same(lambda uow: uow.jobs.delete_for_tenant(tenant_id))
        for job_id, (_, owner_tenant) in list(self.jobs.items()):
            if owner_tenant == tenant_id:
                del self.jobs[job_id]
                self.leases.pop(job_id, None)

    @rule(kinds=st.sampled_from([(0,), (1,), (0, 1)]), zone=st.sampled_from(ZONES))
    def next_run_at(self, kinds: tuple[int, ...], zone: timezone) -> None:
        """The answer is when a claim first finds a job: nothing before it (from now on), a
        job at it (or now, if it is past); None only when no job of the kinds is queued."""
        names = [self.kinds[index] for index in kinds]
        found = self.same(
            lambda uow: uow.jobs.next_run_at(self.now.astimezone(zone), names), write=False
        )
        if found is None:
            queued = [job for job in self.read() if job.status is JobStatus.QUEUED]
            assert [job for job in queued if job.kind in names] == []
            return

        def probe(moment: datetime) -> list[Job]:
            return self.same(
                lambda uow: uow.jobs.claim("probe", moment, _PROBE, 99, names), keep=False
            )

        if found > self.now:
            assert probe(found - RESOLUTION) == []
        assert probe(max(found, self.now)) != []

    # -- invariants ----------------------------------------------------------------------

    def read(self) -> list[Job]:
        """The namespace's jobs, read from both stores, which must agree."""
        found = self.same(lambda uow: [uow.jobs.get(job_id) for job_id in self.jobs], write=False)
        assert None not in found
        return [job for job in found if job is not None]

    @invariant()
    def jobs_and_leases_match_the_book(self) -> None:
        for job in self.read():
            if job.status is JobStatus.QUEUED and job.lease_owner is not None:
                assert self.leases.get(job.id) == (job.lease_owner, job.lease_expires_at)
            else:
                assert job.id not in self.leases
                assert (job.lease_owner, job.lease_expires_at) == (None, None)

    @invariant()
    def counts_add_up(self) -> None:
        for kind in self.kinds:

            def count(uow: UnitOfWork, kind: str = kind) -> list[int]:
                return [uow.jobs.count(status, kind) for status in (None, *JobStatus)]

            counts = self.same(count, write=False)
            present = sum(1 for job_kind, _ in self.jobs.values() if job_kind == kind)
            assert counts[0] == sum(counts[1:]) == present


def _outcome(
    store: Store, call: Callable[[UnitOfWork], Any], write: bool, keep: bool
) -> tuple[str, Any]:
    """``("ok", answer)`` or ``("error", class name)``."""
    try:
        if not write:
            return ("ok", call(store.reader()))
        with store.transaction() as uow:
            answer = call(uow)
            if not keep:
                raise _Rollback(answer)
        return ("ok", answer)
    except _Rollback as rollback:
        return ("ok", rollback.args[0])
    except (TalentOSError, _Abort) as error:
        return ("error", type(error).__name__)
