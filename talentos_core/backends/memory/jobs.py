"""The in-memory job queue: the transitions of :class:`Job`, each applied under the lock."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Collection
from datetime import UTC, datetime, timedelta

from talentos_core.backends.memory.base import MemoryRepository
from talentos_core.domain.jobs import Job, JobStatus, check_claim, kind_set


class MemoryJobs(MemoryRepository[Job]):
    # No reference to ``tenants``: a job may outlive what asked for it (SQLite has no
    # foreign key either); erasing a tenant deletes its jobs explicitly.
    table = "jobs"

    def enqueue(self, job: Job) -> None:
        self._insert(job.id, job)

    def claim(
        self,
        owner: str,
        now: datetime,
        lease: timedelta,
        limit: int,
        kinds: Collection[str] | None = None,
    ) -> builtins.list[Job]:
        check_claim(lease, limit)
        wanted = kind_set(kinds)
        until = (now + lease).astimezone(UTC)
        with self._t.lock:
            if self._t.undo is None:
                raise RuntimeError("a claim needs an open transaction")
            due = self._t.select(
                self.table,
                lambda job: job.claimable(now) and (wanted is None or job.kind in wanted),
            )
            claimed = [
                job.claimed(owner, until)
                for job in sorted(due, key=lambda job: (job.run_at, job.id))[:limit]
            ]
            for job in claimed:
                self._t.put(self.table, job.id, job)
        return claimed

    def renew(self, job_id: str, owner: str, until: datetime) -> bool:
        return self._if_held(job_id, owner, lambda job: job.renewed(until))

    def complete(self, job_id: str, owner: str, now: datetime) -> bool:
        return self._if_held(job_id, owner, lambda job: job.completed(now))

    def retry(self, job_id: str, owner: str, at: datetime, error: str) -> bool:
        return self._if_held(job_id, owner, lambda job: job.retried(at, error))

    def bury(self, job_id: str, owner: str, now: datetime, error: str) -> bool:
        return self._if_held(job_id, owner, lambda job: job.buried(now, error))

    def _if_held(self, job_id: str, owner: str, change: Callable[[Job], Job]) -> bool:
        with self._t.lock:
            job = self._find(job_id)
            if job is None or not job.held_by(owner):
                return False
            self._t.put(self.table, job_id, change(job))
            return True

    def get(self, job_id: str) -> Job | None:
        return self._find(job_id)

    def count(self, status: JobStatus | None = None, kind: str | None = None) -> int:
        with self._t.lock:
            return sum(
                1
                for job in self._t.table(self.table).values()
                if (status is None or job.status == status) and (kind is None or job.kind == kind)
            )

    def next_run_at(self, now: datetime, kinds: Collection[str] | None = None) -> datetime | None:
        wanted = kind_set(kinds)
        with self._t.lock:
            moments = [
                job.available_at(now)
                for job in self._t.table(self.table).values()
                if wanted is None or job.kind in wanted
            ]
        return min((moment for moment in moments if moment is not None), default=None)

    def delete_for_tenant(self, tenant_id: str) -> None:
        with self._t.lock:
            for job in self._t.select(self.table, lambda job: job.tenant_id == tenant_id):
                self._t.remove(self.table, job.id)
