"""Audit events: one per state change, chained per tenant (CONTRACT §7)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from talentos_core.domain.rules import Length, Pattern, field

GENESIS_HASH = "0" * 64
CLIENT_PREFIX = "client."
#: The one event type whose ``data.costUsd`` is spend (CONTRACT §9): the CSV's ``cost_usd``.
AI_CALL = "ai.call"


@attrs.frozen
class AuditEvent:
    """One link of a tenant's chain. ``hash`` covers every other field, keyed (see chain)."""

    id: str
    ts: datetime
    tenant_id: str
    type: str
    actor_type: str
    seq: int
    prev_hash: str
    hash: str
    actor_id: str | None = None
    actor_email: str | None = None
    actor_role: str | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    summary: str | None = None
    ip: str | None = None
    user_agent: str | None = None
    request_id: str | None = None
    data: dict[str, Any] = attrs.Factory(dict)


@attrs.frozen
class ChainHead:
    """The last link of a tenant's chain, and an HMAC that makes cutting the tail visible."""

    tenant_id: str
    seq: int
    hash: str
    mac: str


@attrs.frozen
class ClientEvent:
    """An event a client records itself (``POST /api/audit``); stored as ``client.<type>``."""

    type: str = field(
        Pattern(r"[a-z0-9_]+(\.[a-z0-9_]+)*", "must be lower-case words joined by dots"),
        Length(1, 64),
    )
    entity_type: str | None = field(Length(1, 64), default=None)
    entity_id: str | None = field(Length(1, 128), default=None)
    summary: str | None = field(Length(0, 500), default=None)
    data: dict[str, Any] | None = None


@attrs.frozen
class AuditFilter:
    type: str | None = field(Length(1, 80), default=None, doc="Exact event type.")
    since: datetime | None = field(default=None, doc="Events at or after this time.")
    q: str | None = field(Length(1, 200), default=None, doc="Substring of type or summary.")
