"""The shape the organisation areas share: a tenant's records with list, get, create,
update and delete under one role-table operation, each write audited."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import attrs

from talentos_core.domain.actors import Actor
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.rules import changes, check
from talentos_core.ports import UnitOfWork
from talentos_core.roles import Operation
from talentos_core.services.base import Service

R = TypeVar("R")


class TenantRecords(Service, Generic[R]):
    """CRUD over one repository of the unit of work; subclasses name it.

    ``entity`` names audit events (``subsidiary.created``), ``prefix`` the ids (``sub_``).
    A delete the store refuses because other records still point at the row is
    :class:`InUse` (409).
    """

    entity = ""
    prefix = ""
    repository = ""
    operation: Operation

    def _records(self, uow: UnitOfWork) -> Any:
        return getattr(uow, self.repository)

    def _shown(self, record: R) -> R:
        """What callers read of a record (integrations hide their secrets)."""
        return record

    def list(self, actor: Actor, page: PageRequest = PageRequest()) -> Page[R]:
        tenant_id = self._tenant(actor, self.operation)
        found: Page[R] = self._records(self._read).list(tenant_id, page)
        return attrs.evolve(found, items=[self._shown(item) for item in found.items])

    def get(self, actor: Actor, record_id: str) -> R:
        tenant_id = self._tenant(actor, self.operation)
        return self._shown(self._records(self._read).get(tenant_id, record_id))

    def create(self, actor: Actor, form: Any) -> R:
        """Raises :class:`ValidationError`."""
        tenant_id = self._tenant(actor, self.operation)
        check(form)
        now = self._now()
        record: Any = self._build(
            id=self._deps.ids.new(self.prefix),
            tenant_id=tenant_id,
            created_at=now,
            updated_at=now,
            **attrs.asdict(form, recurse=False),
        )
        with self._transaction(actor) as tx:
            self._records(tx.uow).add(record)
            tx.record(
                f"{self.entity}.created",
                entity_type=self.entity,
                entity_id=record.id,
                summary=f"Created {self.entity} {record.name}",
            )
        return self._shown(record)

    def update(self, actor: Actor, record_id: str, patch: Any) -> R:
        """Change the fields ``patch`` sets; a patch that changes nothing writes nothing."""
        tenant_id = self._tenant(actor, self.operation)
        check(patch)
        with self._transaction(actor) as tx:
            current = self._records(tx.uow).get(tenant_id, record_id)
            changed = self._changes(patch, current)
            if not changed:
                return self._shown(current)
            updated = attrs.evolve(current, **changed, updated_at=self._now())
            self._records(tx.uow).update(updated)
            tx.record_changes(self.entity, record_id, changed)
        return self._shown(updated)

    def delete(self, actor: Actor, record_id: str) -> None:
        """Raises :class:`InUse` while other records refer to it."""
        tenant_id = self._tenant(actor, self.operation)
        with self._transaction(actor) as tx:
            current = self._records(tx.uow).get(tenant_id, record_id)
            self._records(tx.uow).delete(tenant_id, record_id)
            tx.record(
                f"{self.entity}.deleted",
                entity_type=self.entity,
                entity_id=record_id,
                summary=f"Deleted {self.entity} {current.name}",
            )

    def _build(self, **values: Any) -> R:
        raise NotImplementedError

    def _changes(self, patch: Any, current: R) -> dict[str, Any]:
        return changes(patch, current)
