"""Job builders: the smallest queued job, and one with every field set."""

from __future__ import annotations

from typing import Any

import attrs

from talentos_core.domain.jobs import Job, JobStatus
from talentos_core.testing.contract._support import ACME, T0, at


def make_job(job_id: str, **fields: Any) -> Job:
    """A queued ``webhook.deliver`` job due at :data:`T0`, of no tenant."""
    base = Job(id=job_id, kind="webhook.deliver", payload={}, run_at=T0, created_at=T0)
    return attrs.evolve(base, **fields)


def full_job(job_id: str = "job_full") -> Job:
    """Every field set (a combination no transition leaves behind: it checks storage only)."""
    return Job(
        id=job_id,
        kind="mail.send",
        payload={"to": "zoë@acme.example", "nested": {"list": [1, 2.5, None, True, "ü"]}},
        run_at=at(5.000001),
        created_at=at(1),
        attempts=3,
        status=JobStatus.DEAD,
        lease_owner="worker-ü:4242",
        lease_expires_at=at(7),
        last_error="HTTP 503 — ✗ service unavailable",
        finished_at=at(8),
        tenant_id=ACME,
    )
