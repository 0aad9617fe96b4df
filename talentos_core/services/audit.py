"""Reading, recording, exporting and verifying the audit trail."""

from __future__ import annotations

import builtins
import csv
import hmac
import io
import json
from collections.abc import Iterator

import attrs

from talentos_core.audit.chain import Verdict, head_mac, verify
from talentos_core.clock import isoformat
from talentos_core.domain.actors import Actor
from talentos_core.domain.audit import (
    AI_CALL,
    CLIENT_PREFIX,
    AuditEvent,
    AuditFilter,
    ChainHead,
    ClientEvent,
)
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.rules import check
from talentos_core.errors import Conflict, NotFound, ValidationError
from talentos_core.roles import Operation
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
#: Deeper data could be stored but not rendered again (JSON encoders stop near 255 levels).
MAX_CLIENT_DATA_DEPTH = 32


class AuditService(Service):
    def list(
        self, actor: Actor, where: AuditFilter = AuditFilter(), page: PageRequest = PageRequest()
    ) -> Page[AuditEvent]:
        """The actor's tenant's events, newest first."""
        return self._read.audit.list(self._tenant(actor, Operation.AUDIT_LIST), where, page)

    def record(self, actor: Actor, form: ClientEvent) -> AuditEvent:
        """Append a client's own event, typed ``client.<type>``."""
        self._tenant(actor, Operation.AUDIT_CREATE)
        check(form)
        data = form.data or {}
        if _depth(data) > MAX_CLIENT_DATA_DEPTH:
            raise ValidationError({"data": f"must nest at most {MAX_CLIENT_DATA_DEPTH} levels"})
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
        tenant_id = self._tenant(actor, Operation.AUDIT_EXPORT)
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
        """The tenant's stored head, once its MAC is checked; :class:`Conflict` if forged."""
        head = self._read.audit.head(tenant_id)
        if head is None:
            raise NotFound("That tenant has no audit events.")
        expected = head_mac(self._deps.audit_key, head.tenant_id, head.seq, head.hash)
        if not hmac.compare_digest(expected, head.mac):
            raise Conflict("The stored head fails its MAC check; run `talentos audit verify`.")
        return head

    def verify(
        self,
        tenant_id: str | None = None,
        *,
        expect_seq: int | None = None,
        expect_hash: str | None = None,
    ) -> builtins.list[Verdict]:
        """Verify one tenant's chain, or every tenant's; the first broken event is named.

        "Every tenant" is every tenant that exists and every one with audit rows: a tenant
        whose whole chain was removed is reported broken, not skipped. A row edited into
        something that no longer parses is reported as broken at that point too. Each tenant
        is read in one snapshot of the store: an event committed meanwhile (the installation
        is live) is in both the head and the events read, or in neither, so it never looks
        like a broken chain.
        """
        reader = self._read
        tenant_ids = (
            [tenant_id]
            if tenant_id
            else sorted(set(reader.tenants.all_ids()) | set(reader.audit.tenant_ids()))
        )
        return [self._verify_one(tid, expect_seq, expect_hash) for tid in tenant_ids]

    def _verify_one(
        self, tenant_id: str, expect_seq: int | None, expect_hash: str | None
    ) -> Verdict:
        with self._deps.store.snapshot() as snapshot:
            try:
                verdict = verify(
                    self._deps.audit_key,
                    tenant_id,
                    snapshot.audit.stream(tenant_id),
                    snapshot.audit.head(tenant_id),
                    expect_seq=expect_seq,
                    expect_hash=expect_hash,
                )
            except (ValueError, TypeError, KeyError) as error:
                return Verdict(tenant_id, False, 0, 0, "", None, None, f"unreadable row: {error}")
            if verdict.ok and verdict.events == 0 and tenant_id in snapshot.tenants.all_ids():
                # Signing up records the first event, so an existing tenant always has a chain.
                return attrs.evolve(verdict, ok=False, broken_seq=1, reason="the chain is missing")
        return verdict


def _depth(value: object, limit: int = MAX_CLIENT_DATA_DEPTH + 1) -> int:
    """How deeply ``value`` nests lists and objects, counted up to ``limit`` (no recursion)."""
    deepest, level, frontier = 0, 0, [value]
    while frontier and deepest < limit:
        children: list[object] = []
        for item in frontier:
            if isinstance(item, dict):
                children.extend(item.values())
            elif isinstance(item, list):
                children.extend(item)
        level += 1
        if children or any(isinstance(item, dict | list) for item in frontier):
            deepest = level
        frontier = children
    return deepest


def _csv_row(event: AuditEvent) -> builtins.list[str]:
    # Only the server's own AI calls carry spend: a client event (``client.*``) may put any
    # costUsd in its data, and must not be able to make it look like money spent.
    is_spend = event.type == AI_CALL and isinstance(event.data, dict)
    cost = event.data.get("costUsd") if is_spend else None
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
