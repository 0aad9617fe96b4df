"""In-memory identity repositories: tenants, users, sessions, invites, login failures, API keys."""

from __future__ import annotations

import builtins
import copy
from collections.abc import Iterable
from datetime import UTC, datetime

from talentos_core.backends.memory.base import MemoryRepository, by_id, newest_first, page_of
from talentos_core.domain.api_keys import ApiKey
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.tenants import Tenant
from talentos_core.domain.users import Invite, Session, User, normalize_email
from talentos_core.errors import EmailTaken, NotFound


class MemoryTenants(MemoryRepository[Tenant]):
    table = "tenants"

    def add(self, tenant: Tenant) -> None:
        self._insert(tenant.id, tenant)

    def get(self, tenant_id: str) -> Tenant:
        found = self.find(tenant_id)
        if found is None:
            raise NotFound()
        return found

    def find(self, tenant_id: str) -> Tenant | None:
        return self._find(tenant_id)

    def update(self, tenant: Tenant) -> None:
        self._replace(tenant.id, tenant)

    def get_many(self, tenant_ids: Iterable[str]) -> dict[str, Tenant]:
        found = (self.find(tenant_id) for tenant_id in set(tenant_ids))
        return {tenant.id: tenant for tenant in found if tenant is not None}

    def lists_origin(self, origin: str) -> bool:
        with self._t.lock:
            return any(
                origin in tenant.career_site_origins
                for tenant in self._t.table(self.table).values()
            )

    def all_ids(self) -> builtins.list[str]:
        with self._t.lock:
            return sorted(self._t.table(self.table))


class MemoryUsers(MemoryRepository[User]):
    table = "users"
    references = (("tenant_id", "tenants"),)
    referenced_by = (("sessions", "user_id"), ("invites", "user_id"))

    def add(self, user: User) -> None:
        with self._t.lock:
            if self.find_by_email(user.email) is not None:
                raise EmailTaken()
            self._insert(user.id, user)

    def get(self, tenant_id: str, user_id: str) -> User:
        return self._scoped(tenant_id, user_id)

    def find_by_email(self, email: str) -> User | None:
        wanted = normalize_email(email)
        with self._t.lock:
            for user in self._t.table(self.table).values():
                if normalize_email(user.email) == wanted:
                    found: User = copy.deepcopy(user)
                    return found
        return None

    def update(self, user: User) -> None:
        with self._t.lock:
            if user.id not in self._t.table(self.table):
                raise NotFound()
            other = self.find_by_email(user.email)
            if other is not None and other.id != user.id:
                raise EmailTaken()
            self._replace(user.id, user)

    def delete(self, tenant_id: str, user_id: str) -> None:
        self._delete_scoped(tenant_id, user_id)

    def list(self, tenant_id: str, page: PageRequest) -> Page[User]:
        return page_of(newest_first(self._tenant_rows(tenant_id)), page)


class MemorySessions(MemoryRepository[Session]):
    table = "sessions"
    references = (("user_id", "users"), ("tenant_id", "tenants"))

    def add(self, session: Session) -> None:
        self._insert(session.token_hash, session)

    def find_with_user(self, token_hash: str) -> tuple[Session, User] | None:
        with self._t.lock:
            session: Session | None = self._t.get(self.table, token_hash)
            if session is None:
                return None
            user: User | None = self._t.get("users", session.user_id)
        return None if user is None else (session, user)

    def delete(self, token_hash: str) -> None:
        self._t.remove(self.table, token_hash)

    def delete_for_user(self, user_id: str) -> None:
        with self._t.lock:
            for session in self._t.values(self.table):
                if session.user_id == user_id:
                    self._t.remove(self.table, session.token_hash)


class MemoryInvites(MemoryRepository[Invite]):
    table = "invites"
    references = (("user_id", "users"), ("tenant_id", "tenants"))

    def add(self, invite: Invite) -> None:
        self._insert(invite.token_hash, invite)

    def find(self, token_hash: str) -> Invite | None:
        return self._find(token_hash)

    def for_user(self, user_id: str) -> builtins.list[Invite]:
        rows = self._t.select(self.table, lambda invite: invite.user_id == user_id)
        return sorted(rows, key=lambda invite: (invite.created_at, invite.token_hash))

    def update(self, invite: Invite) -> None:
        self._replace(invite.token_hash, invite)

    def delete_for_user(self, user_id: str) -> None:
        with self._t.lock:
            for invite in self._t.values(self.table):
                if invite.user_id == user_id:
                    self._t.remove(self.table, invite.token_hash)


class MemoryLoginFailures(MemoryRepository[list[datetime]]):
    table = "login_failures"

    def record(self, email: str, at: datetime) -> None:
        key = normalize_email(email)
        with self._t.lock:
            times = self._t.get(self.table, key) or []
            self._t.put(self.table, key, [*times, at.astimezone(UTC)])

    def since(self, email: str, moment: datetime) -> builtins.list[datetime]:
        times = self._t.get(self.table, normalize_email(email)) or []
        return sorted(time for time in times if time >= moment)

    def clear(self, email: str) -> None:
        self._t.remove(self.table, normalize_email(email))

    def forget_before(self, moment: datetime) -> None:
        with self._t.lock:
            for key, times in list(self._t.table(self.table).items()):
                kept = [time for time in times if time >= moment]
                if not kept:
                    self._t.remove(self.table, key)
                elif len(kept) < len(times):
                    self._t.put(self.table, key, kept)


class MemoryApiKeys(MemoryRepository[ApiKey]):
    table = "api_keys"
    references = (("tenant_id", "tenants"),)

    def add(self, key: ApiKey) -> None:
        self._insert(key.id, key)

    def get(self, tenant_id: str, key_id: str) -> ApiKey:
        return self._scoped(tenant_id, key_id)

    def find(self, key_id: str) -> ApiKey | None:
        return self._find(key_id)

    def find_by_prefix(self, token_prefix: str) -> builtins.list[ApiKey]:
        rows = self._t.select(self.table, lambda key: key.token_prefix == token_prefix)
        return sorted(rows, key=by_id)

    def update(self, key: ApiKey) -> None:
        self._replace(key.id, key)

    def list(self, tenant_id: str, page: PageRequest) -> Page[ApiKey]:
        return page_of(newest_first(self._tenant_rows(tenant_id)), page)
