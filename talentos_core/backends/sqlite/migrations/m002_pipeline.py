"""Migration 002: the hiring pipeline — candidates (with a trigram search index), offers,
interviews, agencies, integrations — the general rate-limit table, and the tenants' career
site origins."""

from __future__ import annotations

import sqlite_utils

#: Each list filters a tenant's rows by one column and pages newest first, so each filter
#: column gets a ``(tenant_id, column, created_at, id)`` index: the count and the page are
#: both answered from the index.
_CANDIDATE_FILTERS = ("vacancy_id", "stage", "source", "agency_id")


def apply(db: sqlite_utils.Database) -> None:
    """Create the pipeline's tables, indexes and triggers."""
    db.execute("ALTER TABLE tenants ADD COLUMN career_site_origins TEXT NOT NULL DEFAULT '[]'")
    db.table("agencies").create(
        {
            "id": str,
            "tenant_id": str,
            "name": str,
            "contact_email": str,
            "fee_percent": float,
            "status": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"tenant_id", "name", "status", "created_at", "updated_at"},
        foreign_keys=[("tenant_id", "tenants", "id")],
    )
    db.table("agencies").create_index(["tenant_id", "created_at", "id"])
    db.table("integrations").create(
        {
            "id": str,
            "tenant_id": str,
            "provider": str,
            "name": str,
            "enabled": int,
            "config": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"tenant_id", "provider", "name", "enabled", "config", "created_at"},
        foreign_keys=[("tenant_id", "tenants", "id")],
    )
    db.table("integrations").create_index(["tenant_id", "created_at", "id"])
    db.table("candidates").create(
        {
            "id": str,
            "tenant_id": str,
            "vacancy_id": str,
            "name": str,
            "email": str,
            "email_key": str,
            "phone": str,
            "location": str,
            "experience": int,
            "skills": str,
            "stage": str,
            "source": str,
            "agency_id": str,
            "resume_upload_id": str,
            "notes": str,
            "created_at": str,
            "updated_at": str,
            "stage_changed_at": str,
            "hired_at": str,
            "search_text": str,
        },
        pk="id",
        not_null={
            "tenant_id",
            "vacancy_id",
            "name",
            "email",
            "email_key",
            "skills",
            "stage",
            "source",
            "created_at",
            "updated_at",
            "stage_changed_at",
            "search_text",
        },
        foreign_keys=[
            ("tenant_id", "tenants", "id"),
            ("vacancy_id", "vacancies", "id"),
            ("agency_id", "agencies", "id"),
        ],
    )
    # Dedupe: one candidate per (vacancy, normalised email).
    db.table("candidates").create_index(["vacancy_id", "email_key"], unique=True)
    db.table("candidates").create_index(["tenant_id", "created_at", "id"])
    for column in _CANDIDATE_FILTERS:
        db.table("candidates").create_index(["tenant_id", column, "created_at", "id"])
    # ``q`` narrows with a trigram index over the same case-folded text ``instr`` re-checks.
    db.execute(
        "CREATE VIRTUAL TABLE candidates_search USING fts5("
        "search_text, content='candidates', content_rowid='rowid', tokenize='trigram')"
    )
    db.execute(
        """CREATE TRIGGER candidates_search_insert AFTER INSERT ON candidates BEGIN
        INSERT INTO candidates_search (rowid, search_text) VALUES (new.rowid, new.search_text);
        END"""
    )
    db.execute(
        """CREATE TRIGGER candidates_search_delete AFTER DELETE ON candidates BEGIN
        INSERT INTO candidates_search (candidates_search, rowid, search_text)
        VALUES ('delete', old.rowid, old.search_text);
        END"""
    )
    db.execute(
        """CREATE TRIGGER candidates_search_update AFTER UPDATE OF search_text ON candidates
        BEGIN
        INSERT INTO candidates_search (candidates_search, rowid, search_text)
        VALUES ('delete', old.rowid, old.search_text);
        INSERT INTO candidates_search (rowid, search_text) VALUES (new.rowid, new.search_text);
        END"""
    )
    db.table("offers").create(
        {
            "id": str,
            "tenant_id": str,
            "candidate_id": str,
            "vacancy_id": str,
            "base_salary": float,
            "currency": str,
            "bonus": float,
            "sign_on_bonus": float,
            "start_date": str,
            "status": str,
            "decision": str,
            "notes": str,
            "sent_at": str,
            "decided_at": str,
            "created_by": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={
            "tenant_id",
            "candidate_id",
            "vacancy_id",
            "base_salary",
            "currency",
            "status",
            "created_at",
            "updated_at",
        },
        foreign_keys=[
            ("tenant_id", "tenants", "id"),
            ("candidate_id", "candidates", "id"),
            ("vacancy_id", "vacancies", "id"),
        ],
    )
    db.table("offers").create_index(["tenant_id", "created_at", "id"])
    for column in ("candidate_id", "vacancy_id", "status"):
        db.table("offers").create_index(["tenant_id", column, "created_at", "id"])
    # A candidate has at most one accepted offer, whatever the order of decisions.
    db.execute(
        "CREATE UNIQUE INDEX offers_one_accepted ON offers (candidate_id) WHERE status = 'accepted'"
    )
    db.table("interviews").create(
        {
            "id": str,
            "tenant_id": str,
            "candidate_id": str,
            "vacancy_id": str,
            "scheduled_at": str,
            "duration_min": int,
            "kind": str,
            "status": str,
            "location_or_url": str,
            "interviewers": str,
            "scorecards": str,
            "notes": str,
            "completed_at": str,
            "created_by": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={
            "tenant_id",
            "candidate_id",
            "vacancy_id",
            "scheduled_at",
            "duration_min",
            "kind",
            "status",
            "interviewers",
            "scorecards",
            "created_at",
            "updated_at",
        },
        foreign_keys=[
            ("tenant_id", "tenants", "id"),
            ("candidate_id", "candidates", "id"),
            ("vacancy_id", "vacancies", "id"),
        ],
    )
    db.table("interviews").create_index(["tenant_id", "scheduled_at", "id"])
    for column in ("candidate_id", "vacancy_id", "status"):
        db.table("interviews").create_index(["tenant_id", column, "scheduled_at", "id"])
    db.table("rate_limits").create(
        {"id": int, "bucket": str, "key": str, "at": str},
        pk="id",
        not_null={"bucket", "key", "at"},
    )
    db.table("rate_limits").create_index(["bucket", "key", "at"])
    db.table("rate_limits").create_index(["bucket", "at"])
    db.table("vacancies").create_index(["subsidiary_id"])
