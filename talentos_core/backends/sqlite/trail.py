"""SQLite trail repositories: the audit chain and the webhook outbox."""

from __future__ import annotations

import builtins
from collections.abc import Iterator

from talentos_core.backends.sqlite.base import SQLiteRepository
from talentos_core.backends.sqlite.rows import from_cursor, to_row
from talentos_core.clock import isoformat
from talentos_core.domain.audit import AuditEvent, AuditFilter, ChainHead
from talentos_core.domain.outbox import OutboxEvent
from talentos_core.domain.paging import Page, PageRequest

#: Rows read per query while streaming a chain (it is never loaded whole).
STREAM_BATCH = 500


class SQLiteAudit(SQLiteRepository[AuditEvent]):
    table, kind = "audit_events", AuditEvent

    def head(self, tenant_id: str) -> ChainHead | None:
        cursor = self._c.execute("SELECT * FROM audit_heads WHERE tenant_id = ?", (tenant_id,))
        found = from_cursor(ChainHead, cursor)
        return found[0] if found else None

    def append(self, event: AuditEvent, head: ChainHead) -> None:
        search_text = f"{event.type}\n{event.summary or ''}".casefold()
        self._insert({**to_row(event), "search_text": search_text})
        self._c.execute(
            "INSERT INTO audit_heads (tenant_id, seq, hash, mac) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (tenant_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, "
            "mac = excluded.mac",
            (head.tenant_id, head.seq, head.hash, head.mac),
        )

    def list(self, tenant_id: str, where: AuditFilter, page: PageRequest) -> Page[AuditEvent]:
        clauses, params = ["tenant_id = ?"], [tenant_id]
        if where.type is not None:
            clauses.append("type = ?")
            params.append(where.type)
        if where.since is not None:
            clauses.append("ts >= ?")
            params.append(isoformat(where.since))
        if where.q is not None:
            clauses.append("instr(search_text, ?) > 0")
            params.append(where.q.casefold())
        return self._page(" AND ".join(clauses), params, page, "seq DESC")

    def stream(self, tenant_id: str, after_seq: int = 0) -> Iterator[AuditEvent]:
        while True:
            batch: list[AuditEvent] = self._all(
                "SELECT * FROM audit_events WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                (tenant_id, after_seq, STREAM_BATCH),
            )
            yield from batch
            if len(batch) < STREAM_BATCH:
                return
            after_seq = batch[-1].seq

    def count(self) -> int:
        return int(self._c.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0])

    def tenant_ids(self) -> builtins.list[str]:
        # Events too, not only heads: a deleted head row must not hide a chain from verify.
        cursor = self._c.execute(
            "SELECT tenant_id FROM audit_heads UNION SELECT tenant_id FROM audit_events "
            "ORDER BY tenant_id"
        )
        return [row[0] for row in cursor]


class SQLiteOutbox(SQLiteRepository[OutboxEvent]):
    table, kind = "outbox", OutboxEvent

    def add(self, event: OutboxEvent) -> None:
        self._insert(to_row(event))

    def list(self, tenant_id: str, page: PageRequest) -> Page[OutboxEvent]:
        return self._page("tenant_id = ?", [tenant_id], page, "ts DESC, id DESC")

    def count_pending(self) -> int:
        cursor = self._c.execute("SELECT COUNT(*) FROM outbox WHERE dispatched_at IS NULL")
        return int(cursor.fetchone()[0])
