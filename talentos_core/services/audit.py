"""Reading, recording, exporting and verifying the audit trail."""

from __future__ import annotations

import builtins
import csv
import io
import json
from collections.abc import Iterator

from talentos_core.audit.chain import Verdict, verify
from talentos_core.clock import isoformat
from talentos_core.domain.actors import Actor
from talentos_core.domain.audit import (
    CLIENT_PREFIX,
    AuditEvent,
    AuditFilter,
    ChainHead,
    ClientEvent,
)
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.rules import check
from talentos_core.errors import NotFound, ValidationError
from talentos_core.services.base import Service

#: The CSV export's columns, in the contract's order.
CSV_COLUMNS = (
    "id",
    "ts",
    "tenant_id",
    "type",
    "actor_type",
    "actor_id",
    "actor_email",
    "actor_role",
    "entity_type",
    "entity_id",
    "summary",
    "ip",
    "user_agent",
    "request_id",
    "cost_usd",
    "prev_hash",
    "hash",
)
MAX_CLIENT_DATA_BYTES = 16 * 1024


class AuditService(Service):
    def list(
        self, actor: Actor, where: AuditFilter = AuditFilter(), page: PageRequest = PageRequest()
    ) -> Page[AuditEvent]:
        """The actor's tenant's events, newest first."""
        return self._read.audit.list(self._tenant(actor, "audit.list"), where, page)

    def record(self, actor: Actor, form: ClientEvent) -> AuditEvent:
        """Append a client's own event, typed ``client.<type>``."""
        self._tenant(actor, "audit.create")
        check(form)
        data = form.data or {}
        if len(json.dumps(data)) > MAX_CLIENT_DATA_BYTES:
            raise ValidationError({"data": f"must be at most {MAX_CLIENT_DATA_BYTES} bytes"})
        with self._transaction(actor) as tx:
            return tx.record(
                CLIENT_PREFIX + form.type,
                entity_type=form.entity_type,
                entity_id=form.entity_id,
                summary=form.summary,
                data=data,
            )

    def export_csv(self, actor: Actor) -> Iterator[str]:
        """The tenant's whole trail as CSV text chunks, streamed oldest first."""
        tenant_id = self._tenant(actor, "audit.export")
        return self._csv(tenant_id)

    def _csv(self, tenant_id: str) -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for count, event in enumerate(self._read.audit.stream(tenant_id), start=1):
            writer.writerow(_csv_row(event))
            if count % 200 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    # -- operator tasks (CLI): no actor, whole installation ------------------------------

    def export_tenant_csv(self, tenant_id: str) -> Iterator[str]:
        """What :meth:`export_csv` gives, for an operator naming the tenant."""
        self._read.tenants.get(tenant_id)
        return self._csv(tenant_id)

    def head(self, tenant_id: str) -> ChainHead:
        head = self._read.audit.head(tenant_id)
        if head is None:
            raise NotFound("That tenant has no audit events.")
        return head

    def verify(
        self,
        tenant_id: str | None = None,
        *,
        expect_seq: int | None = None,
        expect_hash: str | None = None,
    ) -> builtins.list[Verdict]:
        """Verify one tenant's chain, or every tenant's; the first broken event is named."""
        tenant_ids = [tenant_id] if tenant_id else self._read.audit.tenant_ids()
        return [
            verify(
                self._deps.audit_key,
                tid,
                self._read.audit.stream(tid),
                self._read.audit.head(tid),
                expect_seq=expect_seq,
                expect_hash=expect_hash,
            )
            for tid in tenant_ids
        ]


def _csv_row(event: AuditEvent) -> builtins.list[str]:
    cost = event.data.get("costUsd") if isinstance(event.data, dict) else None
    values = (
        event.id,
        isoformat(event.ts),
        event.tenant_id,
        event.type,
        event.actor_type,
        event.actor_id,
        event.actor_email,
        event.actor_role,
        event.entity_type,
        event.entity_id,
        event.summary,
        event.ip,
        event.user_agent,
        event.request_id,
        cost,
        event.prev_hash,
        event.hash,
    )
    return [_defuse("" if value is None else str(value)) for value in values]


def _defuse(cell: str) -> str:
    """Stop spreadsheets from running a cell as a formula (CSV injection)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
