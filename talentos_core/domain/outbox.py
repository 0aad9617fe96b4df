"""Domain events bound for webhooks, written in the same transaction as their cause."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

#: The eight event types a webhook may subscribe to (CONTRACT §8).
EVENT_TYPES: tuple[str, ...] = (
    "candidate.applied",
    "candidate.stage_changed",
    "vacancy.published",
    "offer.sent",
    "offer.accepted",
    "offer.declined",
    "interview.scheduled",
    "interview.completed",
)


@attrs.frozen
class OutboxEvent:
    """``{"id", "type", "ts", "tenantId", "data"}`` once it is put on the wire."""

    id: str
    tenant_id: str
    type: str
    ts: datetime
    data: dict[str, Any] = attrs.Factory(dict)
    dispatched_at: datetime | None = None
