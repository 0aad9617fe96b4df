"""Trail builders: audit events with their heads, outbox events, and appending a chain."""

from __future__ import annotations

from typing import Any

import attrs

from talentos_core.domain.audit import AuditEvent, ChainHead
from talentos_core.domain.outbox import OutboxEvent
from talentos_core.ports import Store
from talentos_core.testing.contract._support import ACME, T0, at


def make_event(tenant_id: str, seq: int, **fields: Any) -> AuditEvent:
    base = AuditEvent(
        id=f"aud_{tenant_id}_{seq:05d}",
        ts=at(seq),
        tenant_id=tenant_id,
        type="vacancy.created",
        actor_type="user",
        seq=seq,
        prev_hash=f"{seq - 1:064x}",
        hash=f"{seq:064x}",
    )
    return attrs.evolve(base, **fields)


def full_event(tenant_id: str = ACME, seq: int = 1) -> AuditEvent:
    return AuditEvent(
        id="aud_full",
        ts=at(10),
        tenant_id=tenant_id,
        type="client.ünï.event",
        actor_type="api_key",
        seq=seq,
        prev_hash="0" * 64,
        hash="f" * 64,
        actor_id="key_1",
        actor_email="ops@acme.example",
        actor_role="chro",
        entity_type="vacancy",
        entity_id="vac_1",
        summary="Résumé — 読んだ",
        ip="2001:db8::1",
        user_agent="curl/8 ✓",
        request_id="req-1.2_3",
        data={"nested": {"list": [1, 2.5, None, True, "ü"]}, "empty": {}},
    )


def head_of(event: AuditEvent) -> ChainHead:
    return ChainHead(event.tenant_id, event.seq, event.hash, "mac-" + event.hash)


def make_outbox(event_id: str, tenant_id: str = ACME, **fields: Any) -> OutboxEvent:
    base = OutboxEvent(id=event_id, tenant_id=tenant_id, type="vacancy.published", ts=T0)
    return attrs.evolve(base, **fields)


def append(store: Store, *events: AuditEvent) -> None:
    with store.transaction() as uow:
        for event in events:
            uow.audit.append(event, head_of(event))
