"""The caller's own tenant and its team."""

from __future__ import annotations

import attrs

from talentos_core.domain.actors import Actor
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.rules import changes, check
from talentos_core.domain.tenants import Tenant, TenantPatch
from talentos_core.domain.users import User
from talentos_core.roles import Operation
from talentos_core.services.base import Service


class TenantService(Service):
    def get(self, actor: Actor) -> Tenant:
        """The actor's tenant."""
        return self._read.tenants.get(self._tenant(actor, Operation.TENANTS_READ))

    def update(self, actor: Actor, patch: TenantPatch) -> Tenant:
        """Change branding or the AI budget. Raises :class:`ValidationError`."""
        tenant_id = self._tenant(actor, Operation.TENANTS_UPDATE)
        check(patch)
        with self._transaction(actor) as tx:
            tenant = tx.uow.tenants.get(tenant_id)
            changed = changes(patch, tenant)
            if not changed:
                return tenant
            tenant = attrs.evolve(tenant, **changed, updated_at=self._now())
            tx.uow.tenants.update(tenant)
            tx.record_changes("tenant", tenant_id, changed)
        return tenant

    def team(self, actor: Actor, page: PageRequest = PageRequest()) -> Page[User]:
        """The users of the actor's tenant, newest first (invited ones included)."""
        return self._read.users.list(self._tenant(actor, Operation.TEAM_LIST), page)
