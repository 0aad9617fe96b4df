"""Migration 003: the job queue (webhook deliveries, later mail)."""

from __future__ import annotations

import sqlite_utils


def apply(db: sqlite_utils.Database) -> None:
    """Create the ``jobs`` table and the indexes its claims, counts and erasure read."""
    # No foreign key to tenants: a job may outlive what asked for it, and erasing a tenant
    # deletes its jobs explicitly (``delete_for_tenant``).
    db.table("jobs").create(
        {
            "id": str,
            "kind": str,
            "payload": str,
            "run_at": str,
            "created_at": str,
            "attempts": int,
            "status": str,
            "lease_owner": str,
            "lease_expires_at": str,
            "last_error": str,
            "finished_at": str,
            "tenant_id": str,
        },
        pk="id",
        not_null={"kind", "payload", "run_at", "created_at", "attempts", "status"},
    )
    # A claim reads queued jobs in (run_at, id) order up to now; next_run_at reads the first.
    db.table("jobs").create_index(["status", "run_at", "id"])
    # Counts by kind, or by kind and status (by status alone: the claim index).
    db.table("jobs").create_index(["kind", "status"])
    db.table("jobs").create_index(["tenant_id"])
    # Only jobs claimed and not yet finished have a lease: next_run_at reads the live ones.
    db.execute(
        "CREATE INDEX idx_jobs_lease_expires_at ON jobs (lease_expires_at) "
        "WHERE lease_expires_at IS NOT NULL"
    )
