"""Jobs port: the durable queue of background work (webhook deliveries, later mail).

Jobs belong to no tenant's view: a worker claims due jobs of every tenant. The transitions
are those of :class:`~talentos_core.domain.jobs.Job`; times are compared as instants and read
back in UTC.
"""

from __future__ import annotations

import builtins
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Protocol

from talentos_core.domain.jobs import Job, JobStatus


class JobRepository(Protocol):
    def enqueue(self, job: Job) -> None:
        """Store ``job`` in the current unit of work (it commits or rolls back with the
        caller's change); :class:`Conflict` if its id exists."""
        ...

    def claim(
        self,
        owner: str,
        now: datetime,
        lease: timedelta,
        limit: int,
        kinds: Collection[str] | None = None,
    ) -> builtins.list[Job]:
        """Lease up to ``limit`` claimable jobs (:meth:`Job.claimable` at ``now``) of
        ``kinds`` (any kind if ``None``) to ``owner`` until ``now + lease``, each attempt
        counted; return them as claimed, oldest ``run_at`` first, then by id.

        Runs inside a transaction (``RuntimeError`` otherwise), which makes it atomic: two
        claimers, in threads or processes, never get a job while another's lease on it
        lives. ``owner`` names one worker (one per concurrently running attempt).
        :class:`ValueError` if ``lease`` is not positive or ``limit`` below one.
        """
        ...

    def renew(self, job_id: str, owner: str, until: datetime) -> bool:
        """Move the end of ``owner``'s lease to ``until``; ``False``, changing nothing, if
        ``owner`` no longer holds it (:meth:`Job.held_by`: another worker claimed the job
        after the lease lapsed, an outcome was recorded, or the job is gone)."""
        ...

    def complete(self, job_id: str, owner: str, now: datetime) -> bool:
        """Mark the job ``done`` at ``now`` and release the lease, if ``owner`` holds it;
        ``False``, changing nothing, otherwise."""
        ...

    def retry(self, job_id: str, owner: str, at: datetime, error: str) -> bool:
        """Queue the job again to run at ``at``, with ``error`` as its last error and no
        lease, if ``owner`` holds it; ``False``, changing nothing, otherwise."""
        ...

    def bury(self, job_id: str, owner: str, now: datetime, error: str) -> bool:
        """Mark the job ``dead`` at ``now`` with ``error`` and release the lease, if ``owner``
        holds it; ``False``, changing nothing, otherwise. A dead job is never claimed."""
        ...

    def get(self, job_id: str) -> Job | None: ...

    def count(self, status: JobStatus | None = None, kind: str | None = None) -> int:
        """Jobs of every tenant with that status and kind (any, for ``None``)."""
        ...

    def next_run_at(self, now: datetime, kinds: Collection[str] | None = None) -> datetime | None:
        """The earliest :meth:`Job.available_at` of a queued job of ``kinds`` (any kind if
        ``None``), so that a worker can sleep until then; may be before ``now``. ``None``
        when no job of those kinds is queued."""
        ...

    def delete_for_tenant(self, tenant_id: str) -> None:
        """Delete the tenant's jobs, whatever their status (a holder's outcome then finds
        nothing to record)."""
        ...
