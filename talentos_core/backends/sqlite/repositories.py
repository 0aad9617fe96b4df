"""SQLite repositories: plain SQL over one connection, rows mapped by :mod:`.rows`."""

from __future__ import annotations

import builtins
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, TypeVar

import attrs

from talentos_core.backends.sqlite.rows import from_cursor, from_values, to_row
from talentos_core.clock import isoformat, parse_iso
from talentos_core.domain.api_keys import ApiKey
from talentos_core.domain.audit import AuditEvent, AuditFilter, ChainHead
from talentos_core.domain.outbox import OutboxEvent
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.subsidiaries import Subsidiary
from talentos_core.domain.tenants import Tenant
from talentos_core.domain.users import Invite, Session, User, normalize_email
from talentos_core.domain.vacancies import CareersFilter, Vacancy, VacancyFilter
from talentos_core.errors import Conflict, EmailTaken, NotFound

T = TypeVar("T")
STREAM_BATCH = 500


class _Repository:
    table = ""
    key = "id"
    kind: type[Any] = object

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._c = connection

    def _one(self, sql: str, params: Iterable[Any]) -> Any | None:
        found = self._all(sql, params)
        return found[0] if found else None

    def _all(self, sql: str, params: Iterable[Any]) -> builtins.list[Any]:
        return from_cursor(self.kind, self._c.execute(sql, tuple(params)))

    def _scoped(self, tenant_id: str, key: str) -> Any:
        found = self._one(
            f"SELECT * FROM {self.table} WHERE {self.key} = ? AND tenant_id = ?", (key, tenant_id)
        )
        if found is None:
            raise NotFound()
        return found

    def _insert(self, row: dict[str, Any]) -> None:
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        try:
            self._c.execute(
                f"INSERT INTO {self.table} ({columns}) VALUES ({marks})", tuple(row.values())
            )
        except sqlite3.IntegrityError as error:
            raise _integrity(error) from None

    def _update(self, row: dict[str, Any], where: str = "", params: tuple[Any, ...] = ()) -> None:
        key = row[self.key]
        assignments = ", ".join(f"{name} = ?" for name in row if name != self.key)
        values = tuple(value for name, value in row.items() if name != self.key)
        try:
            cursor = self._c.execute(
                f"UPDATE {self.table} SET {assignments} WHERE {self.key} = ?{where}",
                (*values, key, *params),
            )
        except sqlite3.IntegrityError as error:
            raise _integrity(error) from None
        if cursor.rowcount == 0:
            raise NotFound()

    def _page(self, where: str, params: list[Any], page: PageRequest, order: str) -> Page[Any]:
        total = self._c.execute(f"SELECT COUNT(*) FROM {self.table} WHERE {where}", params)
        count = int(total.fetchone()[0])
        items = self._all(
            f"SELECT * FROM {self.table} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
            (*params, page.limit, page.offset),
        )
        return Page(items, count, page.limit, page.offset)


def _integrity(error: sqlite3.IntegrityError) -> Exception:
    text = str(error)
    if "users.email_key" in text:
        return EmailTaken()
    if "UNIQUE" in text:
        return Conflict("that record already exists")
    if "FOREIGN KEY" in text:
        return NotFound("a referenced record does not exist")
    return Conflict(text)


_NEWEST = "created_at DESC, id DESC"


class SQLiteTenants(_Repository):
    table, kind = "tenants", Tenant

    def add(self, tenant: Tenant) -> None:
        self._insert(to_row(tenant))

    def get(self, tenant_id: str) -> Tenant:
        found = self.find(tenant_id)
        if found is None:
            raise NotFound()
        return found

    def find(self, tenant_id: str) -> Tenant | None:
        found: Tenant | None = self._one("SELECT * FROM tenants WHERE id = ?", (tenant_id,))
        return found

    def update(self, tenant: Tenant) -> None:
        self._update(to_row(tenant))

    def get_many(self, tenant_ids: Iterable[str]) -> dict[str, Tenant]:
        wanted = sorted(set(tenant_ids))
        if not wanted:
            return {}
        marks = ", ".join("?" for _ in wanted)
        found = self._all(f"SELECT * FROM tenants WHERE id IN ({marks})", wanted)
        return {tenant.id: tenant for tenant in found}

    def all_ids(self) -> builtins.list[str]:
        return [row[0] for row in self._c.execute("SELECT id FROM tenants ORDER BY id")]


class SQLiteUsers(_Repository):
    table, kind = "users", User

    @staticmethod
    def _row(user: User) -> dict[str, Any]:
        return {**to_row(user), "email_key": normalize_email(user.email)}

    def add(self, user: User) -> None:
        self._insert(self._row(user))

    def get(self, tenant_id: str, user_id: str) -> User:
        found: User = self._scoped(tenant_id, user_id)
        return found

    def find_by_email(self, email: str) -> User | None:
        found: User | None = self._one(
            "SELECT * FROM users WHERE email_key = ?", (normalize_email(email),)
        )
        return found

    def update(self, user: User) -> None:
        self._update(self._row(user))

    def delete(self, tenant_id: str, user_id: str) -> None:
        cursor = self._c.execute(
            "DELETE FROM users WHERE id = ? AND tenant_id = ?", (user_id, tenant_id)
        )
        if cursor.rowcount == 0:
            raise NotFound()

    def list(self, tenant_id: str, page: PageRequest) -> Page[User]:
        return self._page("tenant_id = ?", [tenant_id], page, _NEWEST)


_SESSION_COLUMNS = tuple(f"s.{attribute.name}" for attribute in attrs.fields(Session))
_SESSION_WITH_USER = (
    f"SELECT {', '.join(_SESSION_COLUMNS)}, u.* FROM sessions s "
    "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?"
)


class SQLiteSessions(_Repository):
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


class SQLiteInvites(_Repository):
    table, key, kind = "invites", "token_hash", Invite

    def add(self, invite: Invite) -> None:
        self._insert(to_row(invite))

    def find(self, token_hash: str) -> Invite | None:
        found: Invite | None = self._one(
            "SELECT * FROM invites WHERE token_hash = ?", (token_hash,)
        )
        return found

    def for_user(self, user_id: str) -> builtins.list[Invite]:
        return self._all(
            "SELECT * FROM invites WHERE user_id = ? ORDER BY created_at, token_hash", (user_id,)
        )

    def update(self, invite: Invite) -> None:
        self._update(to_row(invite))

    def delete_for_user(self, user_id: str) -> None:
        self._c.execute("DELETE FROM invites WHERE user_id = ?", (user_id,))


class SQLiteLoginFailures(_Repository):
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


class SQLiteApiKeys(_Repository):
    table, kind = "api_keys", ApiKey

    def add(self, key: ApiKey) -> None:
        self._insert(to_row(key))

    def get(self, tenant_id: str, key_id: str) -> ApiKey:
        found: ApiKey = self._scoped(tenant_id, key_id)
        return found

    def find(self, key_id: str) -> ApiKey | None:
        found: ApiKey | None = self._one("SELECT * FROM api_keys WHERE id = ?", (key_id,))
        return found

    def find_by_prefix(self, token_prefix: str) -> builtins.list[ApiKey]:
        return self._all(
            "SELECT * FROM api_keys WHERE token_prefix = ? ORDER BY id", (token_prefix,)
        )

    def update(self, key: ApiKey) -> None:
        self._update(to_row(key))

    def list(self, tenant_id: str, page: PageRequest) -> Page[ApiKey]:
        return self._page("tenant_id = ?", [tenant_id], page, _NEWEST)


class SQLiteVacancies(_Repository):
    table, kind = "vacancies", Vacancy

    @staticmethod
    def _row(vacancy: Vacancy) -> dict[str, Any]:
        location_key = vacancy.location.casefold() if vacancy.location is not None else None
        return {
            **to_row(vacancy),
            "search_text": vacancy.search_text(),
            "location_key": location_key,
        }

    def add(self, vacancy: Vacancy) -> None:
        self._insert(self._row(vacancy))

    def get(self, tenant_id: str, vacancy_id: str) -> Vacancy:
        found: Vacancy = self._scoped(tenant_id, vacancy_id)
        return found

    def update(self, vacancy: Vacancy) -> None:
        self._update(self._row(vacancy), " AND tenant_id = ?", (vacancy.tenant_id,))

    def delete(self, tenant_id: str, vacancy_id: str) -> None:
        cursor = self._c.execute(
            "DELETE FROM vacancies WHERE id = ? AND tenant_id = ?", (vacancy_id, tenant_id)
        )
        if cursor.rowcount == 0:
            raise NotFound()

    def list(self, tenant_id: str, where: VacancyFilter, page: PageRequest) -> Page[Vacancy]:
        clauses, params = ["tenant_id = ?"], [tenant_id]
        if where.status is not None:
            clauses.append("status = ?")
            params.append(where.status.value)
        if where.subsidiary_id is not None:
            clauses.append("subsidiary_id = ?")
            params.append(where.subsidiary_id)
        if where.q is not None:
            clauses.append("instr(search_text, ?) > 0")
            params.append(where.q.casefold())
        return self._page(" AND ".join(clauses), params, page, _NEWEST)

    def list_open(self, where: CareersFilter, page: PageRequest) -> Page[Vacancy]:
        clauses, params = ["status = 'open'"], []
        if where.tenant is not None:
            clauses.append("tenant_id = ?")
            params.append(where.tenant)
        if where.location is not None:
            clauses.append("location_key = ?")
            params.append(where.location.casefold())
        if where.q is not None:
            clauses.append("instr(search_text, ?) > 0")
            params.append(where.q.casefold())
        return self._page(" AND ".join(clauses), params, page, _NEWEST)

    def find_open(self, vacancy_id: str) -> Vacancy | None:
        found: Vacancy | None = self._one(
            "SELECT * FROM vacancies WHERE id = ? AND status = 'open'", (vacancy_id,)
        )
        return found


class SQLiteSubsidiaries(_Repository):
    table, kind = "subsidiaries", Subsidiary

    def add(self, subsidiary: Subsidiary) -> None:
        self._insert(to_row(subsidiary))

    def get(self, tenant_id: str, subsidiary_id: str) -> Subsidiary:
        found: Subsidiary = self._scoped(tenant_id, subsidiary_id)
        return found


class SQLiteAudit(_Repository):
    table, kind = "audit_events", AuditEvent

    def head(self, tenant_id: str) -> ChainHead | None:
        cursor = self._c.execute("SELECT * FROM audit_heads WHERE tenant_id = ?", (tenant_id,))
        found = from_cursor(ChainHead, cursor)
        return found[0] if found else None

    def append(self, event: AuditEvent, head: ChainHead) -> None:
        search_text = f"{event.type}\n{event.summary or ''}".casefold()
        self._insert({**to_row(event), "search_text": search_text})
        self._c.execute(
            "INSERT INTO audit_heads (tenant_id, seq, hash, mac) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (tenant_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, "
            "mac = excluded.mac",
            (head.tenant_id, head.seq, head.hash, head.mac),
        )

    def list(self, tenant_id: str, where: AuditFilter, page: PageRequest) -> Page[AuditEvent]:
        clauses, params = ["tenant_id = ?"], [tenant_id]
        if where.type is not None:
            clauses.append("type = ?")
            params.append(where.type)
        if where.since is not None:
            clauses.append("ts >= ?")
            params.append(isoformat(where.since))
        if where.q is not None:
            clauses.append("instr(search_text, ?) > 0")
            params.append(where.q.casefold())
        return self._page(" AND ".join(clauses), params, page, "seq DESC")

    def stream(self, tenant_id: str, after_seq: int = 0) -> Iterator[AuditEvent]:
        while True:
            batch: list[AuditEvent] = self._all(
                "SELECT * FROM audit_events WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                (tenant_id, after_seq, STREAM_BATCH),
            )
            yield from batch
            if len(batch) < STREAM_BATCH:
                return
            after_seq = batch[-1].seq

    def count(self) -> int:
        return int(self._c.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0])

    def tenant_ids(self) -> builtins.list[str]:
        # Events too, not only heads: a deleted head row must not hide a chain from verify.
        cursor = self._c.execute(
            "SELECT tenant_id FROM audit_heads UNION SELECT tenant_id FROM audit_events "
            "ORDER BY tenant_id"
        )
        return [row[0] for row in cursor]


class SQLiteOutbox(_Repository):
    table, kind = "outbox", OutboxEvent

    def add(self, event: OutboxEvent) -> None:
        self._insert(to_row(event))

    def list(self, tenant_id: str, page: PageRequest) -> Page[OutboxEvent]:
        return self._page("tenant_id = ?", [tenant_id], page, "ts DESC, id DESC")

    def count_pending(self) -> int:
        cursor = self._c.execute("SELECT COUNT(*) FROM outbox WHERE dispatched_at IS NULL")
        return int(cursor.fetchone()[0])


class SQLiteUnitOfWork:
    """The repositories over one connection."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.tenants = SQLiteTenants(connection)
        self.users = SQLiteUsers(connection)
        self.sessions = SQLiteSessions(connection)
        self.invites = SQLiteInvites(connection)
        self.login_failures = SQLiteLoginFailures(connection)
        self.api_keys = SQLiteApiKeys(connection)
        self.vacancies = SQLiteVacancies(connection)
        self.subsidiaries = SQLiteSubsidiaries(connection)
        self.audit = SQLiteAudit(connection)
        self.outbox = SQLiteOutbox(connection)
