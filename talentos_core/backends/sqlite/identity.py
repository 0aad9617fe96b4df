"""SQLite identity repositories: tenants, users, sessions, invites, login failures, API keys."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import attrs

from talentos_core.backends.sqlite.base import NEWEST, SQLiteRepository
from talentos_core.backends.sqlite.rows import from_values, to_row
from talentos_core.clock import isoformat, parse_iso
from talentos_core.domain.api_keys import ApiKey
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.tenants import Tenant
from talentos_core.domain.users import Invite, Session, User, normalize_email
from talentos_core.errors import NotFound


class SQLiteTenants(SQLiteRepository[Tenant]):
    table, kind = "tenants", Tenant

    def add(self, tenant: Tenant) -> None:
        self._insert(to_row(tenant))

    def get(self, tenant_id: str) -> Tenant:
        found = self.find(tenant_id)
        if found is None:
            raise NotFound()
        return found

    def find(self, tenant_id: str) -> Tenant | None:
        return self._one("SELECT * FROM tenants WHERE id = ?", (tenant_id,))

    def update(self, tenant: Tenant) -> None:
        self._update(to_row(tenant))

    def get_many(self, tenant_ids: Iterable[str]) -> dict[str, Tenant]:
        wanted = sorted(set(tenant_ids))
        if not wanted:
            return {}
        marks = ", ".join("?" for _ in wanted)
        found = self._all(f"SELECT * FROM tenants WHERE id IN ({marks})", wanted)
        return {tenant.id: tenant for tenant in found}

    def lists_origin(self, origin: str) -> bool:
        found = self._c.execute(
            "SELECT 1 FROM tenants, json_each(tenants.career_site_origins) "
            "WHERE json_each.value = ? LIMIT 1",
            (origin,),
        ).fetchone()
        return found is not None

    def all_ids(self) -> builtins.list[str]:
        return [row[0] for row in self._c.execute("SELECT id FROM tenants ORDER BY id")]


class SQLiteUsers(SQLiteRepository[User]):
    table, kind = "users", User

    @staticmethod
    def _row(user: User) -> dict[str, Any]:
        return {**to_row(user), "email_key": normalize_email(user.email)}

    def add(self, user: User) -> None:
        self._insert(self._row(user))

    def get(self, tenant_id: str, user_id: str) -> User:
        return self._scoped(tenant_id, user_id)

    def find_by_email(self, email: str) -> User | None:
        return self._one("SELECT * FROM users WHERE email_key = ?", (normalize_email(email),))

    def update(self, user: User) -> None:
        self._update(self._row(user))

    def delete(self, tenant_id: str, user_id: str) -> None:
        self._delete_scoped(tenant_id, user_id)

    def list(self, tenant_id: str, page: PageRequest) -> Page[User]:
        return self._page("tenant_id = ?", [tenant_id], page, NEWEST)


_SESSION_COLUMNS = tuple(f"s.{attribute.name}" for attribute in attrs.fields(Session))
_SESSION_WITH_USER = (
    f"SELECT {', '.join(_SESSION_COLUMNS)}, u.* FROM sessions s "
    "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?"
)


class SQLiteSessions(SQLiteRepository[Session]):
    table, key, kind = "sessions", "token_hash", Session

    def add(self, session: Session) -> None:
        self._insert(to_row(session))

    def find_with_user(self, token_hash: str) -> tuple[Session, User] | None:
        # One round trip on every cookie request: the session's columns, then the user's.
        cursor = self._c.execute(_SESSION_WITH_USER, (token_hash,))
        row = cursor.fetchone()
        if row is None:
            return None
        names = tuple(column[0] for column in cursor.description)
        width = len(_SESSION_COLUMNS)
        return (
            from_values(Session, names[:width], row[:width]),
            from_values(User, names[width:], row[width:]),
        )

    def delete(self, token_hash: str) -> None:
        self._c.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))

    def delete_for_user(self, user_id: str) -> None:
        self._c.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))


class SQLiteInvites(SQLiteRepository[Invite]):
    table, key, kind = "invites", "token_hash", Invite

    def add(self, invite: Invite) -> None:
        self._insert(to_row(invite))

    def find(self, token_hash: str) -> Invite | None:
        return self._one("SELECT * FROM invites WHERE token_hash = ?", (token_hash,))

    def for_user(self, user_id: str) -> builtins.list[Invite]:
        return self._all(
            "SELECT * FROM invites WHERE user_id = ? ORDER BY created_at, token_hash", (user_id,)
        )

    def update(self, invite: Invite) -> None:
        self._update(to_row(invite))

    def delete_for_user(self, user_id: str) -> None:
        self._c.execute("DELETE FROM invites WHERE user_id = ?", (user_id,))


class SQLiteLoginFailures(SQLiteRepository[datetime]):
    table = "login_failures"

    def record(self, email: str, at: datetime) -> None:
        self._c.execute(
            "INSERT INTO login_failures (email_key, at) VALUES (?, ?)",
            (normalize_email(email), isoformat(at)),
        )

    def since(self, email: str, moment: datetime) -> builtins.list[datetime]:
        cursor = self._c.execute(
            "SELECT at FROM login_failures WHERE email_key = ? AND at >= ? ORDER BY at",
            (normalize_email(email), isoformat(moment)),
        )
        return [parse_iso(row[0]) for row in cursor]

    def clear(self, email: str) -> None:
        self._c.execute("DELETE FROM login_failures WHERE email_key = ?", (normalize_email(email),))

    def forget_before(self, moment: datetime) -> None:
        self._c.execute("DELETE FROM login_failures WHERE at < ?", (isoformat(moment),))


class SQLiteApiKeys(SQLiteRepository[ApiKey]):
    table, kind = "api_keys", ApiKey

    def add(self, key: ApiKey) -> None:
        self._insert(to_row(key))

    def get(self, tenant_id: str, key_id: str) -> ApiKey:
        return self._scoped(tenant_id, key_id)

    def find(self, key_id: str) -> ApiKey | None:
        return self._one("SELECT * FROM api_keys WHERE id = ?", (key_id,))

    def find_by_prefix(self, token_prefix: str) -> builtins.list[ApiKey]:
        return self._all(
            "SELECT * FROM api_keys WHERE token_prefix = ? ORDER BY id", (token_prefix,)
        )

    def update(self, key: ApiKey) -> None:
        self._update(to_row(key))

    def list(self, tenant_id: str, page: PageRequest) -> Page[ApiKey]:
        return self._page("tenant_id = ?", [tenant_id], page, NEWEST)
