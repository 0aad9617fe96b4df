"""Migration 001: the foundation's schema. Released: never edit it, add the next number."""

from __future__ import annotations

import sqlite_utils


def apply(db: sqlite_utils.Database) -> None:
    """Tenants, identity, vacancies and subsidiaries, the audit chain and the outbox."""
    db.table("tenants").create(
        {
            "id": str,
            "name": str,
            "plan": str,
            "logo_url": str,
            "brand_color": str,
            "tagline": str,
            "monthly_budget_usd": float,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"name", "plan", "brand_color", "created_at"},
    )
    db.table("users").create(
        {
            "id": str,
            "tenant_id": str,
            "email": str,
            "email_key": str,
            "name": str,
            "role": str,
            "password_hash": str,
            "email_verified": int,
            "status": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"tenant_id", "email", "email_key", "name", "role", "status", "created_at"},
        foreign_keys=[("tenant_id", "tenants", "id")],
    )
    db.table("users").create_index(["email_key"], unique=True)
    db.table("users").create_index(["tenant_id", "created_at", "id"])
    db.table("sessions").create(
        {
            "token_hash": str,
            "user_id": str,
            "tenant_id": str,
            "created_at": str,
            "expires_at": str,
        },
        pk="token_hash",
        not_null={"user_id", "tenant_id", "created_at", "expires_at"},
        foreign_keys=[("user_id", "users", "id"), ("tenant_id", "tenants", "id")],
    )
    db.table("sessions").create_index(["user_id"])
    db.table("invites").create(
        {
            "token_hash": str,
            "user_id": str,
            "tenant_id": str,
            "created_at": str,
            "expires_at": str,
            "used_at": str,
        },
        pk="token_hash",
        not_null={"user_id", "tenant_id", "created_at", "expires_at"},
        foreign_keys=[("user_id", "users", "id"), ("tenant_id", "tenants", "id")],
    )
    db.table("invites").create_index(["user_id"])
    db.table("login_failures").create(
        {"id": int, "email_key": str, "at": str}, pk="id", not_null={"email_key", "at"}
    )
    db.table("login_failures").create_index(["email_key", "at"])
    db.table("login_failures").create_index(["at"])
    db.table("api_keys").create(
        {
            "id": str,
            "tenant_id": str,
            "name": str,
            "token_prefix": str,
            "role": str,
            "created_at": str,
            "created_by": str,
            "key_hash": str,
            "last_used_at": str,
            "revoked": int,
            "revoked_at": str,
        },
        pk="id",
        not_null={"tenant_id", "name", "token_prefix", "role", "created_at", "key_hash"},
        foreign_keys=[("tenant_id", "tenants", "id")],
    )
    db.table("api_keys").create_index(["token_prefix"])
    db.table("api_keys").create_index(["tenant_id", "created_at", "id"])
    db.table("subsidiaries").create(
        {
            "id": str,
            "tenant_id": str,
            "name": str,
            "country": str,
            "code": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"tenant_id", "name", "created_at"},
        foreign_keys=[("tenant_id", "tenants", "id")],
    )
    db.table("subsidiaries").create_index(["tenant_id", "created_at", "id"])
    db.table("vacancies").create(
        {
            "id": str,
            "tenant_id": str,
            "title": str,
            "description": str,
            "location": str,
            "level": str,
            "employment_type": str,
            "skills": str,
            "status": str,
            "subsidiary_id": str,
            "internal_notes": str,
            "applicants": int,
            "hired": int,
            "created_by": str,
            "created_at": str,
            "updated_at": str,
            "search_text": str,
            "location_key": str,
        },
        pk="id",
        not_null={"tenant_id", "title", "status", "skills", "applicants", "hired", "created_at"},
        foreign_keys=[("tenant_id", "tenants", "id"), ("subsidiary_id", "subsidiaries", "id")],
    )
    db.table("vacancies").create_index(["tenant_id", "created_at", "id"])
    db.table("vacancies").create_index(["status", "created_at", "id"])
    db.table("audit_events").create(
        {
            "id": str,
            "tenant_id": str,
            "seq": int,
            "ts": str,
            "type": str,
            "actor_type": str,
            "actor_id": str,
            "actor_email": str,
            "actor_role": str,
            "entity_type": str,
            "entity_id": str,
            "summary": str,
            "ip": str,
            "user_agent": str,
            "request_id": str,
            "data": str,
            "prev_hash": str,
            "hash": str,
            "search_text": str,
        },
        pk="id",
        not_null={"tenant_id", "seq", "ts", "type", "actor_type", "data", "prev_hash", "hash"},
    )
    db.table("audit_events").create_index(["tenant_id", "seq"], unique=True)
    db.table("audit_heads").create(
        {"tenant_id": str, "seq": int, "hash": str, "mac": str},
        pk="tenant_id",
        not_null={"seq", "hash", "mac"},
    )
    db.table("audit_tombstones").create(
        {
            "seq": int,
            "tenant_id": str,
            "last_seq": int,
            "last_hash": str,
            "deleted_at": str,
            "prev_hash": str,
            "hash": str,
        },
        pk="seq",
        not_null={"tenant_id", "last_seq", "last_hash", "deleted_at", "prev_hash", "hash"},
    )
    db.table("outbox").create(
        {"id": str, "tenant_id": str, "type": str, "ts": str, "data": str, "dispatched_at": str},
        pk="id",
        not_null={"tenant_id", "type", "ts", "data"},
        foreign_keys=[("tenant_id", "tenants", "id")],
    )
    db.table("outbox").create_index(["dispatched_at"])
    db.table("outbox").create_index(["tenant_id", "ts", "id"])
    # The audit trail is append-only. Rows may go only when their whole tenant is erased: after
    # that tenant's tombstone was written and its tenant row deleted (in the same transaction).
    db.execute(
        """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"""
    )
    db.execute(
        """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        WHEN NOT EXISTS (SELECT 1 FROM audit_tombstones WHERE tenant_id = OLD.tenant_id)
          OR EXISTS (SELECT 1 FROM tenants WHERE id = OLD.tenant_id)
        BEGIN SELECT RAISE(ABORT, 'audit events are deleted only with their tenant'); END"""
    )
    db.execute(
        """CREATE TRIGGER audit_tombstones_no_update BEFORE UPDATE ON audit_tombstones
        BEGIN SELECT RAISE(ABORT, 'tombstones are append-only'); END"""
    )
    db.execute(
        """CREATE TRIGGER audit_tombstones_no_delete BEFORE DELETE ON audit_tombstones
        BEGIN SELECT RAISE(ABORT, 'tombstones are append-only'); END"""
    )
