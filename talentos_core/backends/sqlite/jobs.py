"""The SQLite job queue: each outcome one guarded ``UPDATE``; a claim a select and a guarded
update inside the caller's transaction, which ``BEGIN IMMEDIATE`` serialises with every other
writer's, in this process or another."""

from __future__ import annotations

import builtins
from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from typing import Any

from talentos_core.backends.sqlite.base import SQLiteRepository
from talentos_core.backends.sqlite.rows import to_row
from talentos_core.clock import isoformat
from talentos_core.domain.jobs import Job, JobStatus, check_claim, kind_set

#: The SQL of :meth:`Job.claimable` (its one parameter is ``now``, twice).
_CLAIMABLE = (
    f"status = '{JobStatus.QUEUED.value}' AND run_at <= ? "
    "AND (lease_expires_at IS NULL OR lease_expires_at < ?)"
)
#: The SQL of :meth:`Job.held_by` for one job (parameters: the id and the owner).
_HELD = f"id = ? AND status = '{JobStatus.QUEUED.value}' AND lease_owner = ?"
_RELEASE = "lease_owner = NULL, lease_expires_at = NULL"


class SQLiteJobs(SQLiteRepository[Job]):
    table, kind = "jobs", Job

    def enqueue(self, job: Job) -> None:
        self._insert(to_row(job))

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
        if not self._c.in_transaction:
            raise RuntimeError("a claim needs an open transaction")
        if wanted == frozenset():
            return []
        moment = isoformat(now)
        where, params = _of_kinds(_CLAIMABLE, [moment, moment], wanted)
        due = self._all(
            f"SELECT * FROM jobs WHERE {where} ORDER BY run_at, id LIMIT ?", (*params, limit)
        )
        if not due:
            return []
        until = (now + lease).astimezone(UTC)
        marks = ", ".join("?" for _ in due)
        # The guard repeats the select's test: within BEGIN IMMEDIATE nobody can write between
        # the two, but a claim in a deferred transaction (or none) must not take a live lease.
        cursor = self._c.execute(
            "UPDATE jobs SET lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1 "
            f"WHERE id IN ({marks}) AND {_CLAIMABLE}",
            (owner, isoformat(until), *(job.id for job in due), moment, moment),
        )
        if cursor.rowcount != len(due):
            raise RuntimeError("jobs were claimed meanwhile: claim inside store.transaction()")
        return [job.claimed(owner, until) for job in due]

    def renew(self, job_id: str, owner: str, until: datetime) -> bool:
        return self._if_held(job_id, owner, "lease_expires_at = ?", isoformat(until))

    def complete(self, job_id: str, owner: str, now: datetime) -> bool:
        done = f"status = '{JobStatus.DONE.value}', finished_at = ?, {_RELEASE}"
        return self._if_held(job_id, owner, done, isoformat(now))

    def retry(self, job_id: str, owner: str, at: datetime, error: str) -> bool:
        again = f"run_at = ?, last_error = ?, {_RELEASE}"
        return self._if_held(job_id, owner, again, isoformat(at), error)

    def bury(self, job_id: str, owner: str, now: datetime, error: str) -> bool:
        dead = f"status = '{JobStatus.DEAD.value}', finished_at = ?, last_error = ?, {_RELEASE}"
        return self._if_held(job_id, owner, dead, isoformat(now), error)

    def _if_held(self, job_id: str, owner: str, assignments: str, *values: Any) -> bool:
        cursor = self._c.execute(
            f"UPDATE jobs SET {assignments} WHERE {_HELD}", (*values, job_id, owner)
        )
        return cursor.rowcount == 1

    def get(self, job_id: str) -> Job | None:
        return self._one("SELECT * FROM jobs WHERE id = ?", (job_id,))

    def count(self, status: JobStatus | None = None, kind: str | None = None) -> int:
        clauses, params = ["1"], []
        for column, value in (("status", status), ("kind", kind)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(str(value))
        cursor = self._c.execute(f"SELECT COUNT(*) FROM jobs WHERE {' AND '.join(clauses)}", params)
        return int(cursor.fetchone()[0])

    def next_run_at(self, now: datetime, kinds: Collection[str] | None = None) -> datetime | None:
        moment = isoformat(now)
        wanted = kind_set(kinds)
        if wanted == frozenset():
            return None
        where, params = _of_kinds(
            f"status = '{JobStatus.QUEUED.value}' "
            "AND (lease_expires_at IS NULL OR lease_expires_at < ?)",
            [moment],
            wanted,
        )
        free = self._one(f"SELECT * FROM jobs WHERE {where} ORDER BY run_at, id LIMIT 1", params)
        # Jobs under a live lease are few (the claims in flight): read them all, through the
        # lease index (unanalysed, the planner would rather scan a kind's or every queued job).
        where, params = _of_kinds(
            f"lease_expires_at >= ? AND status = '{JobStatus.QUEUED.value}'", [moment], wanted
        )
        leased = self._all(
            f"SELECT * FROM jobs INDEXED BY idx_jobs_lease_expires_at WHERE {where}", params
        )
        moments = [job.available_at(now) for job in ([free] if free else []) + leased]
        return min((found for found in moments if found is not None), default=None)

    def delete_for_tenant(self, tenant_id: str) -> None:
        self._c.execute("DELETE FROM jobs WHERE tenant_id = ?", (tenant_id,))


def _of_kinds(where: str, params: list[Any], kinds: frozenset[str] | None) -> tuple[str, list[Any]]:
    """``where`` narrowed to ``kinds`` (``None``: any kind); SQLite answers ``IN ()`` but
    cannot plan it with ``INDEXED BY``, so callers answer an empty ``kinds`` themselves."""
    if kinds is None:
        return where, params
    marks = ", ".join("?" for _ in kinds)
    return f"{where} AND kind IN ({marks})", [*params, *sorted(kinds)]
