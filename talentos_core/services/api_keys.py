"""Minting, listing and revoking Bearer API keys."""

from __future__ import annotations

import attrs

from talentos_core.domain.actors import Actor
from talentos_core.domain.api_keys import ApiKey, MintedKey, NewApiKey
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.rules import check
from talentos_core.errors import Forbidden
from talentos_core.identity.tokens import api_key_prefix, hash_api_key, new_api_key
from talentos_core.roles import Operation, Role, may_grant
from talentos_core.services.base import Service


class ApiKeyService(Service):
    def list(self, actor: Actor, page: PageRequest = PageRequest()) -> Page[ApiKey]:
        return self._read.api_keys.list(self._tenant(actor, Operation.API_KEYS_LIST), page)

    def mint(self, actor: Actor, form: NewApiKey) -> MintedKey:
        """A new key; its raw token is in the result and nowhere else, ever.

        The role defaults to admin when an admin mints, else to the minter's own role; asking
        for a role above one's own raises :class:`Forbidden`.
        """
        tenant_id = self._tenant(actor, Operation.API_KEYS_CREATE)
        check(form)
        assert actor.role is not None
        role = form.role or (Role.ADMIN if actor.role == Role.ADMIN else actor.role)
        if not may_grant(actor.role, role):
            raise Forbidden("You cannot grant a role above your own.")
        raw = new_api_key()
        key = ApiKey(
            id=self._deps.ids.new("key"),
            tenant_id=tenant_id,
            name=form.name,
            token_prefix=api_key_prefix(raw),
            role=role,
            created_at=self._now(),
            created_by=actor.email or actor.id,
            key_hash=hash_api_key(raw, self._deps.settings.api_key_cost),
        )
        with self._transaction(actor) as tx:
            tx.uow.api_keys.add(key)
            tx.record(
                "api_key.created",
                entity_type="api_key",
                entity_id=key.id,
                summary=f"Minted key {key.token_prefix}",
                data={"role": role.value},
            )
        return MintedKey(key, raw)

    def revoke(self, actor: Actor, key_id: str) -> ApiKey:
        """Revoke a key (kept, marked revoked); it answers 401 from the next request on.

        Revoking a revoked key changes nothing. Raises :class:`NotFound`.
        """
        tenant_id = self._tenant(actor, Operation.API_KEYS_REVOKE)
        with self._transaction(actor) as tx:
            key = tx.uow.api_keys.get(tenant_id, key_id)
            if key.revoked:
                return key
            key = attrs.evolve(key, revoked=True, revoked_at=self._now())
            tx.uow.api_keys.update(key)
            tx.record(
                "api_key.revoked",
                entity_type="api_key",
                entity_id=key.id,
                summary=f"Revoked key {key.token_prefix}",
            )
        self._deps.verified_keys.forget(key_id)
        return key
