"""Trail ports: the append-only audit chain and the webhook outbox."""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from typing import Protocol

from talentos_core.domain.audit import AuditEvent, AuditFilter, ChainHead
from talentos_core.domain.outbox import OutboxEvent
from talentos_core.domain.paging import Page, PageRequest


class AuditRepository(Protocol):
    """Append-only: there is no update, and no delete but a whole tenant's erasure."""

    def head(self, tenant_id: str) -> ChainHead | None: ...

    def append(self, event: AuditEvent, head: ChainHead) -> None:
        """Store ``event`` and move the tenant's head to ``head``, in the current unit of work."""
        ...

    def list(self, tenant_id: str, where: AuditFilter, page: PageRequest) -> Page[AuditEvent]:
        """Newest first (by ``seq``)."""
        ...

    def stream(self, tenant_id: str, after_seq: int = 0) -> Iterator[AuditEvent]:
        """Every event after ``after_seq`` in ``seq`` order, read in batches, never all at once."""
        ...

    def count(self) -> int:
        """Events of every tenant."""
        ...

    def tenant_ids(self) -> builtins.list[str]:
        """Tenants that have a chain (events or a head), sorted."""
        ...


class OutboxRepository(Protocol):
    def add(self, event: OutboxEvent) -> None: ...

    def list(self, tenant_id: str, page: PageRequest) -> Page[OutboxEvent]: ...

    def count_pending(self) -> int:
        """Events not yet handed to webhook delivery."""
        ...
