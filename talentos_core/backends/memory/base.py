"""What every in-memory repository shares: the tables with their undo log, copying values
in and out the way SQLite stores them, and the generic repository base."""

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
from typing import Any, Generic, TypeVar

import attrs

from talentos_core.domain.paging import Page, PageRequest
from talentos_core.errors import Conflict, InUse, NotFound

T = TypeVar("T")
_MISSING = object()


class Tables:
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

    def rollback(self, to: int = 0) -> None:
        """Undo every write after the first ``to`` of the open transaction."""
        assert self.undo is not None
        while len(self.undo) > to:
            name, key, old = self.undo.pop()
            if old is _MISSING:
                self.table(name).pop(key, None)
            else:
                self.table(name)[key] = old

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        with self.lock:
            if self.undo is None:
                raise RuntimeError("a savepoint needs an open transaction")
            mark = len(self.undo)
            try:
                yield
            except BaseException:
                self.rollback(to=mark)
                raise


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
        elif isinstance(current, list) and any(attrs.has(type(item)) for item in current):
            changed[attribute.name] = [_stored(item) for item in current]
        elif isinstance(current, list | dict):
            changed[attribute.name] = json.loads(json.dumps(current, ensure_ascii=False))
    return copy.deepcopy(attrs.evolve(value, **changed))


@functools.cache
def _float_fields(cls: type) -> frozenset[str]:
    hints = typing.get_type_hints(cls)
    return frozenset(name for name, hint in hints.items() if hint in (float, float | None))


def newest_first(items: list[T], key: Callable[[T], Any] | None = None) -> builtins.list[T]:
    """Sorted like SQLite's ``ORDER BY created_at DESC, id DESC`` (or by ``key``)."""
    return sorted(items, key=key or (lambda item: (item.created_at, item.id)), reverse=True)  # type: ignore[attr-defined]  # every stored row has both


def page_of(items: list[T], page: PageRequest) -> Page[T]:
    return Page(items[page.offset : page.offset + page.limit], len(items), page.limit, page.offset)


def casefold(text: str | None) -> str | None:
    return None if text is None else text.casefold()


def by_id(row: Any) -> str:
    return str(row.id)


class MemoryRepository(Generic[T]):
    """One table of ``T`` rows; the helpers raise the errors SQLite's constraints raise."""

    table = ""
    #: ``(attribute, table)`` pairs that must name a stored row, like SQLite's foreign keys.
    references: tuple[tuple[str, str], ...] = ()
    #: ``(table, attribute)`` pairs whose rows point at this table's rows: deleting a row
    #: something still points at is :class:`InUse`, as SQLite's foreign keys refuse it.
    referenced_by: tuple[tuple[str, str], ...] = ()

    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def _check_references(self, value: Any) -> None:
        for attribute, table in self.references:
            key = getattr(value, attribute)
            if key is not None and key not in self._t.table(table):
                raise NotFound("a referenced record does not exist")

    def _find(self, key: Any) -> T | None:
        found: T | None = self._t.get(self.table, key)
        return found

    def _scoped(self, tenant_id: str, key: str) -> T:
        """The row ``key`` of ``tenant_id``; :class:`NotFound` for another tenant's too."""
        found: Any = self._t.get(self.table, key)
        if found is None or found.tenant_id != tenant_id:
            raise NotFound()
        return typing.cast(T, found)

    def _insert(self, key: Any, value: T) -> None:
        with self._t.lock:
            if key in self._t.table(self.table):
                raise Conflict(f"{key} already exists")
            self._check_references(value)
            self._t.put(self.table, key, value)

    def _replace(self, key: Any, value: T) -> None:
        with self._t.lock:
            if key not in self._t.table(self.table):
                raise NotFound()
            self._check_references(value)
            self._t.put(self.table, key, value)

    def _replace_scoped(self, tenant_id: str, key: str, value: T) -> None:
        """Replace a row of ``tenant_id`` (another tenant's row is :class:`NotFound`)."""
        with self._t.lock:
            self._scoped(tenant_id, key)
            self._check_references(value)
            self._t.put(self.table, key, value)

    def _delete_scoped(self, tenant_id: str, key: str) -> None:
        with self._t.lock:
            self._scoped(tenant_id, key)
            for table, attribute in self.referenced_by:
                if any(getattr(row, attribute) == key for row in self._t.table(table).values()):
                    raise InUse()
            self._t.remove(self.table, key)

    def _tenant_rows(self, tenant_id: str) -> builtins.list[T]:
        return self._t.select(self.table, lambda row: row.tenant_id == tenant_id)


class MemoryRecords(MemoryRepository[T]):
    """A table of a tenant's records keyed by ``id``: add, get, update and delete."""

    references: tuple[tuple[str, str], ...] = (("tenant_id", "tenants"),)

    def add(self, row: T) -> None:
        self._insert(typing.cast(Any, row).id, row)

    def get(self, tenant_id: str, row_id: str) -> T:
        return self._scoped(tenant_id, row_id)

    def update(self, row: T) -> None:
        found = typing.cast(Any, row)
        self._replace_scoped(found.tenant_id, found.id, row)

    def delete(self, tenant_id: str, row_id: str) -> None:
        self._delete_scoped(tenant_id, row_id)

    def _matching(self, tenant_id: str, columns: Iterable[tuple[str, object | None]]) -> list[T]:
        """The tenant's rows whose each column given a value (not ``None``) equals it."""
        wanted = [(column, value) for column, value in columns if value is not None]
        return self._t.select(
            self.table,
            lambda row: (
                row.tenant_id == tenant_id
                and all(getattr(row, column) == value for column, value in wanted)
            ),
        )


class MemoryTenantTable(MemoryRecords[T]):
    """Records with a plain list, newest first: the organisation areas need no more."""

    def list(self, tenant_id: str, page: PageRequest) -> Page[T]:
        return page_of(newest_first(self._tenant_rows(tenant_id)), page)
