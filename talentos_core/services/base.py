"""What every service shares: its dependencies and the transaction that records audit events."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import attrs

from talentos_core.audit.chain import seal
from talentos_core.clock import Clock
from talentos_core.domain.actors import Actor
from talentos_core.domain.audit import AuditEvent
from talentos_core.domain.limits import RateLimit, retry_after
from talentos_core.domain.outbox import EVENT_TYPES, OutboxEvent
from talentos_core.errors import RateLimited
from talentos_core.identity.passwords import Passwords
from talentos_core.identity.tokens import VerifiedKeys
from talentos_core.ids import IdGenerator
from talentos_core.ports import Store, UnitOfWork
from talentos_core.roles import Operation, authorize
from talentos_core.settings import Settings


@attrs.frozen
class Dependencies:
    """Everything the services are built from; assembled by :mod:`talentos_core.bootstrap`."""

    store: Store
    clock: Clock
    ids: IdGenerator
    settings: Settings
    audit_key: bytes = attrs.field(repr=False)
    passwords: Passwords
    verified_keys: VerifiedKeys = attrs.Factory(VerifiedKeys)


class Transaction:
    """A unit of work that also knows who acts, so it can append audit and outbox rows."""

    def __init__(self, deps: Dependencies, uow: UnitOfWork, actor: Actor) -> None:
        self.uow = uow
        self.actor = actor
        self._deps = deps

    def now(self) -> datetime:
        return self._deps.clock.now()

    def record(
        self,
        type_: str,
        *,
        entity_type: str | None = None,
        entity_id: str | None = None,
        summary: str | None = None,
        data: dict[str, Any] | None = None,
        tenant_id: str | None = None,
        actor: Actor | None = None,
    ) -> AuditEvent:
        """Append an audit event to the tenant's chain (the actor's tenant unless given)."""
        who = actor or self.actor
        tenant = tenant_id or who.tenant_id
        assert tenant is not None, "an audit event belongs to a tenant"
        draft = AuditEvent(
            id=self._deps.ids.new("aud"),
            ts=self._deps.clock.now(),
            tenant_id=tenant,
            type=type_,
            actor_type=who.type.value,
            seq=0,
            prev_hash="",
            hash="",
            actor_id=who.id,
            actor_email=who.email,
            actor_role=who.role.value if who.role else None,
            entity_type=entity_type,
            entity_id=entity_id,
            summary=summary,
            ip=who.origin.ip,
            user_agent=who.origin.user_agent,
            request_id=who.origin.request_id,
            data=data or {},
        )
        event, head = seal(self._deps.audit_key, draft, self.uow.audit.head(tenant))
        self.uow.audit.append(event, head)
        return event

    def record_changes(
        self, entity_type: str, entity_id: str, changed: dict[str, Any]
    ) -> AuditEvent:
        """Record ``<entity_type>.updated`` naming the changed fields (never their values)."""
        fields = sorted(changed)
        return self.record(
            f"{entity_type}.updated",
            entity_type=entity_type,
            entity_id=entity_id,
            summary="Updated " + ", ".join(fields),
            data={"fields": fields},
        )

    def emit(self, type_: str, data: dict[str, Any], tenant_id: str | None = None) -> OutboxEvent:
        """Queue a domain event for webhooks; it commits or rolls back with the change."""
        assert type_ in EVENT_TYPES, type_
        tenant = tenant_id or self.actor.tenant_id
        assert tenant is not None
        event = OutboxEvent(
            id=self._deps.ids.new("evt"),
            tenant_id=tenant,
            type=type_,
            ts=self._deps.clock.now(),
            data=data,
        )
        self.uow.outbox.add(event)
        return event


class Service:
    """Base of the services: access to dependencies, reads and transactions."""

    def __init__(self, deps: Dependencies) -> None:
        self._deps = deps

    @property
    def _read(self) -> UnitOfWork:
        return self._deps.store.reader()

    def _now(self) -> datetime:
        return self._deps.clock.now()

    @contextmanager
    def _transaction(self, actor: Actor) -> Iterator[Transaction]:
        with self._deps.store.transaction() as uow:
            yield Transaction(self._deps, uow, actor)

    def _throttle(self, rule: RateLimit, key: str | None) -> None:
        """Count one hit of ``key`` against ``rule``; :class:`RateLimited` once over it.

        It commits on its own, before the work it guards, so that refused and failing
        attempts count too. A caller with no key (no client IP: a Python program) is not
        limited.
        """
        if key is None or not rule.enabled:
            return
        now = self._now()
        since = now - rule.window
        with self._deps.store.transaction() as uow:
            uow.rate_limits.forget_before(rule.bucket, since)
            wait = retry_after(uow.rate_limits.hits_since(rule.bucket, key, since), rule, now)
            if wait is not None:
                raise RateLimited(wait)
            uow.rate_limits.hit(rule.bucket, key, now)

    @staticmethod
    def _tenant(actor: Actor, operation: Operation) -> str:
        """Authorize ``operation`` and return the tenant the actor works in."""
        authorize(actor, operation)
        assert actor.tenant_id is not None
        return actor.tenant_id
