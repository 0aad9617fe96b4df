"""Identity ports: tenants, users, their sessions and invites, login failures, API keys."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from talentos_core.domain.api_keys import ApiKey
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.tenants import Tenant
from talentos_core.domain.users import Invite, Session, User


class TenantRepository(Protocol):
    def add(self, tenant: Tenant) -> None:
        """Store a new tenant; :class:`Conflict` if the id is taken."""
        ...

    def get(self, tenant_id: str) -> Tenant:
        """The tenant, or :class:`NotFound`."""
        ...

    def find(self, tenant_id: str) -> Tenant | None: ...

    def update(self, tenant: Tenant) -> None: ...

    def get_many(self, tenant_ids: Iterable[str]) -> dict[str, Tenant]:
        """The tenants among ``tenant_ids`` that exist, by id."""
        ...

    def lists_origin(self, origin: str) -> bool:
        """Whether any tenant lists ``origin`` among its career site origins."""
        ...

    def all_ids(self) -> builtins.list[str]:
        """Every tenant id, sorted."""
        ...


class UserRepository(Protocol):
    def add(self, user: User) -> None:
        """Store a new user; :class:`EmailTaken` if the email (any case) is registered."""
        ...

    def get(self, tenant_id: str, user_id: str) -> User: ...

    def find_by_email(self, email: str) -> User | None:
        """The user with this email in any tenant, compared case-insensitively."""
        ...

    def update(self, user: User) -> None: ...

    def delete(self, tenant_id: str, user_id: str) -> None:
        """Remove the user (their sessions and invites first); :class:`NotFound` if none."""
        ...

    def list(self, tenant_id: str, page: PageRequest) -> Page[User]: ...


class SessionRepository(Protocol):
    def add(self, session: Session) -> None: ...

    def find_with_user(self, token_hash: str) -> tuple[Session, User] | None:
        """The session with this hash and its user, in one read (the hot path)."""
        ...

    def delete(self, token_hash: str) -> None: ...

    def delete_for_user(self, user_id: str) -> None: ...


class InviteRepository(Protocol):
    def add(self, invite: Invite) -> None: ...

    def find(self, token_hash: str) -> Invite | None: ...

    def for_user(self, user_id: str) -> builtins.list[Invite]:
        """Every invite of the user, oldest first."""
        ...

    def update(self, invite: Invite) -> None: ...

    def delete_for_user(self, user_id: str) -> None: ...


class LoginFailureRepository(Protocol):
    def record(self, email: str, at: datetime) -> None: ...

    def since(self, email: str, moment: datetime) -> builtins.list[datetime]:
        """Times of failures for ``email`` at or after ``moment``, oldest first."""
        ...

    def clear(self, email: str) -> None: ...

    def forget_before(self, moment: datetime) -> None:
        """Drop every email's failures older than ``moment`` (they no longer count)."""
        ...


class ApiKeyRepository(Protocol):
    def add(self, key: ApiKey) -> None: ...

    def get(self, tenant_id: str, key_id: str) -> ApiKey: ...

    def find(self, key_id: str) -> ApiKey | None:
        """A key by id in any tenant: authentication starts before a tenant is known."""
        ...

    def find_by_prefix(self, token_prefix: str) -> builtins.list[ApiKey]:
        """Every key whose display prefix is ``token_prefix`` (not unique: 32 bits)."""
        ...

    def update(self, key: ApiKey) -> None: ...

    def list(self, tenant_id: str, page: PageRequest) -> Page[ApiKey]: ...
