"""Durable background jobs: work queued in one transaction and run later by a worker.

A job is ``queued`` until it is ``done`` or ``dead``. A worker *claims* a due job, which
leases it to that worker until ``lease_expires_at``; while the lease lives no other worker
can claim the job, and once it lapses (the worker died, or hung past its lease) the job is
claimable again. Only the holder of the lease records an outcome::

    queued ──claim──► queued, leased ──complete──► done
      ▲      (attempts + 1)   │  │
      │                       │  └────bury──────► dead
      └──retry (run_at = at)──┘
      └──lease lapses─────────┘   (the job is claimable again, by anyone)

Delivery is at least once: a worker may finish an attempt after its lease lapsed and another
worker claimed the job, so the effect may happen twice; only the second holder's outcome is
recorded. The stores do these transitions atomically (see
:class:`~talentos_core.ports.jobs.JobRepository`); the methods below are the one definition
of each, which the in-memory store applies and the SQLite store writes as SQL.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

import attrs

#: How much longer a lease lasts than the attempt it covers (see :func:`lease_for`).
LEASE_MARGIN = timedelta(seconds=30)
#: The smallest step of a stored time: the first moment after a lease's end.
RESOLUTION = timedelta(microseconds=1)
_NO_LEASE: dict[str, Any] = {"lease_owner": None, "lease_expires_at": None}


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    DONE = "done"
    DEAD = "dead"


@attrs.frozen
class Job:
    """One unit of background work of a ``kind`` (``"webhook.deliver"``) with a JSON payload.

    ``attempts`` counts claims; ``lease_owner`` and ``lease_expires_at`` name the worker
    holding the job and until when (both ``None`` when nobody does); ``tenant_id`` is the
    tenant the work is for, if any, so that erasing a tenant can erase its jobs.
    """

    id: str
    kind: str
    payload: dict[str, Any]
    run_at: datetime
    created_at: datetime
    attempts: int = 0
    status: JobStatus = JobStatus.QUEUED
    lease_owner: str | None = None
    lease_expires_at: datetime | None = None
    last_error: str | None = None
    finished_at: datetime | None = None
    tenant_id: str | None = None

    def claimable(self, now: datetime) -> bool:
        """Queued, due (``run_at <= now``) and leased to nobody at ``now``: a lease that
        expires at ``now`` still lives."""
        return (
            self.status is JobStatus.QUEUED
            and self.run_at <= now
            and (self.lease_expires_at is None or self.lease_expires_at < now)
        )

    def held_by(self, owner: str) -> bool:
        """Whether ``owner`` holds the job's lease: it claimed the job last and no outcome has
        been recorded since. A lapsed lease is still held until someone else claims the job."""
        return self.status is JobStatus.QUEUED and self.lease_owner == owner

    def claimed(self, owner: str, until: datetime) -> Job:
        return attrs.evolve(
            self, lease_owner=owner, lease_expires_at=until, attempts=self.attempts + 1
        )

    def renewed(self, until: datetime) -> Job:
        return attrs.evolve(self, lease_expires_at=until)

    def completed(self, now: datetime) -> Job:
        return attrs.evolve(self, status=JobStatus.DONE, finished_at=now, **_NO_LEASE)

    def retried(self, at: datetime, error: str) -> Job:
        return attrs.evolve(self, run_at=at, last_error=error, **_NO_LEASE)

    def buried(self, now: datetime, error: str) -> Job:
        return attrs.evolve(
            self, status=JobStatus.DEAD, finished_at=now, last_error=error, **_NO_LEASE
        )

    def available_at(self, now: datetime) -> datetime | None:
        """The first moment a claim could take this job, as things stand at ``now``: its
        ``run_at``, or just after a lease that is live at ``now``; ``None`` once finished."""
        if self.status is not JobStatus.QUEUED:
            return None
        if self.lease_expires_at is None or self.lease_expires_at < now:
            return self.run_at
        return max(self.run_at, self.lease_expires_at + RESOLUTION)


def lease_for(timeout: timedelta, margin: timedelta = LEASE_MARGIN) -> timedelta:
    """The lease to claim (and renew to) for an attempt stopped after ``timeout``: longer by
    ``margin``, so that an attempt cut short by its timeout still holds the lease while it
    records the outcome."""
    return timeout + margin


def check_claim(lease: timedelta, limit: int) -> None:
    """Raise :class:`ValueError` unless ``lease`` is positive and ``limit`` at least one: a
    lease of nothing would let the next claimer take the job at once."""
    if lease <= timedelta(0):
        raise ValueError("a lease must be positive")
    if limit < 1:
        raise ValueError("a claim takes at least one job")


def kind_set(kinds: Collection[str] | None) -> frozenset[str] | None:
    """``kinds`` as a set (``None`` for any kind); :class:`TypeError` for a bare string,
    which would otherwise read as a collection of one-letter kinds."""
    if isinstance(kinds, str):
        raise TypeError("kinds is a collection of kinds, not one kind")
    return None if kinds is None else frozenset(kinds)
