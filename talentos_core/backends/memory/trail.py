"""In-memory trail repositories: the audit chain and the webhook outbox."""

from __future__ import annotations

import builtins
from collections.abc import Iterator

from talentos_core.backends.memory.base import MemoryRepository, newest_first, page_of
from talentos_core.domain.audit import AuditEvent, AuditFilter, ChainHead
from talentos_core.domain.outbox import OutboxEvent
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.errors import Conflict


class MemoryAudit(MemoryRepository[AuditEvent]):
    table = "audit_events"

    def head(self, tenant_id: str) -> ChainHead | None:
        found: ChainHead | None = self._t.get("audit_heads", tenant_id)
        return found

    def append(self, event: AuditEvent, head: ChainHead) -> None:
        with self._t.lock:
            if any(
                (row.tenant_id, row.seq) == (event.tenant_id, event.seq)
                for row in self._t.table(self.table).values()
            ):
                raise Conflict("that record already exists")
            self._insert(event.id, event)
            self._t.put("audit_heads", head.tenant_id, head)

    def list(self, tenant_id: str, where: AuditFilter, page: PageRequest) -> Page[AuditEvent]:
        q = where.q.casefold() if where.q is not None else None
        rows = [
            event
            for event in self._tenant_rows(tenant_id)
            if (where.type is None or event.type == where.type)
            and (where.since is None or event.ts >= where.since)
            and (q is None or q in _audit_search_text(event))
        ]
        return page_of(sorted(rows, key=lambda event: event.seq, reverse=True), page)

    def stream(self, tenant_id: str, after_seq: int = 0) -> Iterator[AuditEvent]:
        rows = [event for event in self._tenant_rows(tenant_id) if event.seq > after_seq]
        yield from sorted(rows, key=lambda event: event.seq)

    def count(self) -> int:
        with self._t.lock:
            return len(self._t.table(self.table))

    def tenant_ids(self) -> builtins.list[str]:
        with self._t.lock:
            events = {event.tenant_id for event in self._t.table(self.table).values()}
            return sorted(events | set(self._t.table("audit_heads")))


def _audit_search_text(event: AuditEvent) -> str:
    return f"{event.type}\n{event.summary or ''}".casefold()


class MemoryOutbox(MemoryRepository[OutboxEvent]):
    table = "outbox"
    references = (("tenant_id", "tenants"),)

    def add(self, event: OutboxEvent) -> None:
        self._insert(event.id, event)

    def list(self, tenant_id: str, page: PageRequest) -> Page[OutboxEvent]:
        rows = newest_first(self._tenant_rows(tenant_id), key=lambda event: (event.ts, event.id))
        return page_of(rows, page)

    def count_pending(self) -> int:
        return len(self._t.select(self.table, lambda event: event.dispatched_at is None))
