"""The in-memory backend: a product feature for tests and embedding, not a mock.

It behaves exactly like the SQLite backend (the contract suite proves it): the same errors,
ordering, filtering and isolation, and transactions that roll back. One re-entrant lock
serializes writers; a transaction keeps an undo log and replays it backwards on failure.
Objects are copied in and out, so a caller mutating what it got back changes nothing stored.
"""

from __future__ import annotations

import builtins
import copy
import functools
import json
import threading
import typing
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

import attrs

from talentos_core.domain.api_keys import ApiKey
from talentos_core.domain.audit import AuditEvent, AuditFilter, ChainHead
from talentos_core.domain.outbox import OutboxEvent
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.subsidiaries import Subsidiary
from talentos_core.domain.tenants import Tenant
from talentos_core.domain.users import Invite, Session, User, normalize_email
from talentos_core.domain.vacancies import CareersFilter, Vacancy, VacancyFilter, VacancyStatus
from talentos_core.errors import Conflict, EmailTaken, NotFound

T = TypeVar("T")
_MISSING = object()


class _Tables:
    """Named dicts of stored objects, with an undo log while a transaction is open."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.data: dict[str, dict[Any, Any]] = {}
        self.undo: list[tuple[str, Any, Any]] | None = None

    def table(self, name: str) -> dict[Any, Any]:
        return self.data.setdefault(name, {})

    def get(self, name: str, key: Any) -> Any:
        with self.lock:
            found = self.table(name).get(key)
        return copy.deepcopy(found)

    def values(self, name: str) -> builtins.list[Any]:
        with self.lock:
            return copy.deepcopy(list(self.table(name).values()))

    def select(self, name: str, keep: Callable[[Any], bool]) -> builtins.list[Any]:
        """Copies of the rows ``keep`` accepts (only those are copied)."""
        with self.lock:
            return copy.deepcopy([row for row in self.table(name).values() if keep(row)])

    def put(self, name: str, key: Any, value: Any) -> None:
        with self.lock:
            table = self.table(name)
            self._remember(name, key, table.get(key, _MISSING))
            table[key] = _stored(value)

    def remove(self, name: str, key: Any) -> None:
        with self.lock:
            table = self.table(name)
            if key in table:
                self._remember(name, key, table.pop(key))

    def _remember(self, name: str, key: Any, old: Any) -> None:
        if self.undo is not None:
            self.undo.append((name, key, old))

    def rollback(self) -> None:
        assert self.undo is not None
        for name, key, old in reversed(self.undo):
            if old is _MISSING:
                self.table(name).pop(key, None)
            else:
                self.table(name)[key] = old


def _stored(value: Any) -> Any:
    """A copy of ``value`` as SQLite gives it back: times in UTC, lists and dicts via JSON,
    whole numbers in ``float`` fields as floats (a REAL column)."""
    if not attrs.has(type(value)):
        return copy.deepcopy(value)
    changed: dict[str, Any] = {}
    floats = _float_fields(typing.cast(Any, type(value)))
    for attribute in attrs.fields(type(value)):
        current = getattr(value, attribute.name)
        if attribute.name in floats and type(current) is int:
            changed[attribute.name] = float(current)
        elif isinstance(current, datetime):
            changed[attribute.name] = current.astimezone(UTC)
        elif isinstance(current, list | dict):
            changed[attribute.name] = json.loads(json.dumps(current, ensure_ascii=False))
    return copy.deepcopy(attrs.evolve(value, **changed))


@functools.cache
def _float_fields(cls: type) -> frozenset[str]:
    hints = typing.get_type_hints(cls)
    return frozenset(name for name, hint in hints.items() if hint is float)


def _newest_first(items: list[T], key: Callable[[T], Any] | None = None) -> builtins.list[T]:
    return sorted(items, key=key or (lambda item: (item.created_at, item.id)), reverse=True)  # type: ignore[attr-defined]


def _page(items: list[T], page: PageRequest) -> Page[T]:
    return Page(items[page.offset : page.offset + page.limit], len(items), page.limit, page.offset)


class _Repository:
    table = ""
    #: ``(attribute, table)`` pairs that must name a stored row, like SQLite's foreign keys.
    references: tuple[tuple[str, str], ...] = ()

    def __init__(self, tables: _Tables) -> None:
        self._t = tables

    def _check_references(self, value: Any) -> None:
        for attribute, table in self.references:
            key = getattr(value, attribute)
            if key is not None and key not in self._t.table(table):
                raise NotFound("a referenced record does not exist")

    def _scoped(self, tenant_id: str, key: str) -> Any:
        found = self._t.get(self.table, key)
        if found is None or found.tenant_id != tenant_id:
            raise NotFound()
        return found

    def _insert(self, key: str, value: Any) -> None:
        with self._t.lock:
            if key in self._t.table(self.table):
                raise Conflict(f"{key} already exists")
            self._check_references(value)
            self._t.put(self.table, key, value)

    def _replace(self, key: str, value: Any) -> None:
        with self._t.lock:
            if key not in self._t.table(self.table):
                raise NotFound()
            self._check_references(value)
            self._t.put(self.table, key, value)

    def _tenant_rows(self, tenant_id: str) -> builtins.list[Any]:
        return self._t.select(self.table, lambda row: row.tenant_id == tenant_id)


class MemoryTenants(_Repository):
    table = "tenants"

    def add(self, tenant: Tenant) -> None:
        self._insert(tenant.id, tenant)

    def get(self, tenant_id: str) -> Tenant:
        found = self.find(tenant_id)
        if found is None:
            raise NotFound()
        return found

    def find(self, tenant_id: str) -> Tenant | None:
        found: Tenant | None = self._t.get(self.table, tenant_id)
        return found

    def update(self, tenant: Tenant) -> None:
        self._replace(tenant.id, tenant)

    def get_many(self, tenant_ids: Iterable[str]) -> dict[str, Tenant]:
        found = (self.find(tenant_id) for tenant_id in set(tenant_ids))
        return {tenant.id: tenant for tenant in found if tenant is not None}

    def all_ids(self) -> builtins.list[str]:
        with self._t.lock:
            return sorted(self._t.table(self.table))


class MemoryUsers(_Repository):
    table = "users"
    references = (("tenant_id", "tenants"),)

    def add(self, user: User) -> None:
        with self._t.lock:
            if self.find_by_email(user.email) is not None:
                raise EmailTaken()
            self._insert(user.id, user)

    def get(self, tenant_id: str, user_id: str) -> User:
        found: User = self._scoped(tenant_id, user_id)
        return found

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
        with self._t.lock:
            self._scoped(tenant_id, user_id)
            self._t.remove(self.table, user_id)

    def list(self, tenant_id: str, page: PageRequest) -> Page[User]:
        return _page(_newest_first(self._tenant_rows(tenant_id)), page)


class MemorySessions(_Repository):
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


class MemoryInvites(_Repository):
    table = "invites"
    references = (("user_id", "users"), ("tenant_id", "tenants"))

    def add(self, invite: Invite) -> None:
        self._insert(invite.token_hash, invite)

    def find(self, token_hash: str) -> Invite | None:
        found: Invite | None = self._t.get(self.table, token_hash)
        return found

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


class MemoryLoginFailures(_Repository):
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


class MemoryApiKeys(_Repository):
    table = "api_keys"
    references = (("tenant_id", "tenants"),)

    def add(self, key: ApiKey) -> None:
        self._insert(key.id, key)

    def get(self, tenant_id: str, key_id: str) -> ApiKey:
        found: ApiKey = self._scoped(tenant_id, key_id)
        return found

    def find(self, key_id: str) -> ApiKey | None:
        found: ApiKey | None = self._t.get(self.table, key_id)
        return found

    def find_by_prefix(self, token_prefix: str) -> builtins.list[ApiKey]:
        rows = self._t.select(self.table, lambda key: key.token_prefix == token_prefix)
        return sorted(rows, key=_by_id)

    def update(self, key: ApiKey) -> None:
        self._replace(key.id, key)

    def list(self, tenant_id: str, page: PageRequest) -> Page[ApiKey]:
        return _page(_newest_first(self._tenant_rows(tenant_id)), page)


class MemoryVacancies(_Repository):
    table = "vacancies"
    references = (("tenant_id", "tenants"), ("subsidiary_id", "subsidiaries"))

    def add(self, vacancy: Vacancy) -> None:
        self._insert(vacancy.id, vacancy)

    def get(self, tenant_id: str, vacancy_id: str) -> Vacancy:
        found: Vacancy = self._scoped(tenant_id, vacancy_id)
        return found

    def update(self, vacancy: Vacancy) -> None:
        with self._t.lock:
            self._scoped(vacancy.tenant_id, vacancy.id)
            self._check_references(vacancy)
            self._t.put(self.table, vacancy.id, vacancy)

    def delete(self, tenant_id: str, vacancy_id: str) -> None:
        with self._t.lock:
            self._scoped(tenant_id, vacancy_id)
            self._t.remove(self.table, vacancy_id)

    def list(self, tenant_id: str, where: VacancyFilter, page: PageRequest) -> Page[Vacancy]:
        rows = [
            vacancy
            for vacancy in self._tenant_rows(tenant_id)
            if (where.status is None or vacancy.status == where.status)
            and (where.subsidiary_id is None or vacancy.subsidiary_id == where.subsidiary_id)
            and (where.q is None or where.q.casefold() in vacancy.search_text())
        ]
        return _page(_newest_first(rows), page)

    def list_open(self, where: CareersFilter, page: PageRequest) -> Page[Vacancy]:
        location = where.location.casefold() if where.location is not None else None
        rows = self._t.select(
            self.table,
            lambda vacancy: (
                vacancy.status == VacancyStatus.OPEN
                and (where.tenant is None or vacancy.tenant_id == where.tenant)
                and (location is None or _casefold(vacancy.location) == location)
                and (where.q is None or where.q.casefold() in vacancy.search_text())
            ),
        )
        return _page(_newest_first(rows), page)

    def find_open(self, vacancy_id: str) -> Vacancy | None:
        found: Vacancy | None = self._t.get(self.table, vacancy_id)
        return found if found is not None and found.status == VacancyStatus.OPEN else None


class MemorySubsidiaries(_Repository):
    table = "subsidiaries"
    references = (("tenant_id", "tenants"),)

    def add(self, subsidiary: Subsidiary) -> None:
        self._insert(subsidiary.id, subsidiary)

    def get(self, tenant_id: str, subsidiary_id: str) -> Subsidiary:
        found: Subsidiary = self._scoped(tenant_id, subsidiary_id)
        return found


class MemoryAudit(_Repository):
    table = "audit_events"

    def head(self, tenant_id: str) -> ChainHead | None:
        found: ChainHead | None = self._t.get("audit_heads", tenant_id)
        return found

    def append(self, event: AuditEvent, head: ChainHead) -> None:
        with self._t.lock:
            if any(
                (row.tenant_id, row.seq) == (event.tenant_id, event.seq)
                for row in self._t.table(self.table).values()
            ):
                raise Conflict("that record already exists")
            self._insert(event.id, event)
            self._t.put("audit_heads", head.tenant_id, head)

    def list(self, tenant_id: str, where: AuditFilter, page: PageRequest) -> Page[AuditEvent]:
        q = where.q.casefold() if where.q is not None else None
        rows = [
            event
            for event in self._tenant_rows(tenant_id)
            if (where.type is None or event.type == where.type)
            and (where.since is None or event.ts >= where.since)
            and (q is None or q in _audit_search_text(event))
        ]
        return _page(sorted(rows, key=lambda event: event.seq, reverse=True), page)

    def stream(self, tenant_id: str, after_seq: int = 0) -> Iterator[AuditEvent]:
        rows = [event for event in self._tenant_rows(tenant_id) if event.seq > after_seq]
        yield from sorted(rows, key=lambda event: event.seq)

    def count(self) -> int:
        with self._t.lock:
            return len(self._t.table(self.table))

    def tenant_ids(self) -> builtins.list[str]:
        with self._t.lock:
            events = {event.tenant_id for event in self._t.table(self.table).values()}
            return sorted(events | set(self._t.table("audit_heads")))


def _audit_search_text(event: AuditEvent) -> str:
    return f"{event.type}\n{event.summary or ''}".casefold()


class MemoryOutbox(_Repository):
    table = "outbox"
    references = (("tenant_id", "tenants"),)

    def add(self, event: OutboxEvent) -> None:
        self._insert(event.id, event)

    def list(self, tenant_id: str, page: PageRequest) -> Page[OutboxEvent]:
        rows = _newest_first(self._tenant_rows(tenant_id), key=lambda event: (event.ts, event.id))
        return _page(rows, page)

    def count_pending(self) -> int:
        return len(self._t.select(self.table, lambda event: event.dispatched_at is None))


def _casefold(text: str | None) -> str | None:
    return None if text is None else text.casefold()


def _by_id(row: Any) -> str:
    return str(row.id)


class _MemoryUnitOfWork:
    def __init__(self, tables: _Tables) -> None:
        self.tenants = MemoryTenants(tables)
        self.users = MemoryUsers(tables)
        self.sessions = MemorySessions(tables)
        self.invites = MemoryInvites(tables)
        self.login_failures = MemoryLoginFailures(tables)
        self.api_keys = MemoryApiKeys(tables)
        self.vacancies = MemoryVacancies(tables)
        self.subsidiaries = MemorySubsidiaries(tables)
        self.audit = MemoryAudit(tables)
        self.outbox = MemoryOutbox(tables)


class MemoryStore:
    """Thread-safe in-memory storage; see the module docstring."""

    backend = "memory"

    def __init__(self) -> None:
        self._tables = _Tables()
        self._uow = _MemoryUnitOfWork(self._tables)
        self._closed = False

    def _open(self) -> None:
        if self._closed:
            raise RuntimeError("the store is closed")

    @contextmanager
    def transaction(self) -> Iterator[_MemoryUnitOfWork]:
        self._open()
        with self._tables.lock:
            if self._tables.undo is not None:
                raise RuntimeError("transactions do not nest")
            self._tables.undo = []
            try:
                yield self._uow
            except BaseException:
                self._tables.rollback()
                raise
            finally:
                self._tables.undo = None

    def reader(self) -> _MemoryUnitOfWork:
        self._open()
        return self._uow

    @contextmanager
    def snapshot(self) -> Iterator[_MemoryUnitOfWork]:
        self._open()
        with self._tables.lock:  # no transaction commits until the snapshot ends
            yield self._uow

    def probe(self) -> None:
        self._open()

    def close(self) -> None:
        """Refuse further use, as the SQLite store does once closed (the data is dropped)."""
        self._closed = True
        self._tables = _Tables()
        self._uow = _MemoryUnitOfWork(self._tables)
