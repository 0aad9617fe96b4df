"""What every SQLite repository shares: plain SQL over one connection, rows mapped by
:mod:`.rows`, constraint errors translated into the core's errors."""

from __future__ import annotations

import builtins
import functools
import sqlite3
import typing
from collections.abc import Iterable
from typing import Any, Generic, TypeVar

import attrs

from talentos_core.backends.sqlite.rows import from_cursor, to_row
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.errors import Conflict, EmailTaken, InUse, NotFound

T = TypeVar("T")

#: The default list order: newest first, ties broken by id.
NEWEST = "created_at DESC, id DESC"


class SQLiteRepository(Generic[T]):
    """One table whose rows are ``kind`` objects, keyed by ``key``."""

    table = ""
    key = "id"
    kind: type[T]

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._c = connection

    @property
    def _select(self) -> str:
        """``SELECT <the kind's columns> FROM <table>``: never the columns that exist only for
        querying (``search_text`` …), which a page would fetch only to drop."""
        return _select(typing.cast(Any, self.kind), self.table)

    def _one(self, sql: str, params: Iterable[Any]) -> T | None:
        found = self._all(sql, params)
        return found[0] if found else None

    def _all(self, sql: str, params: Iterable[Any]) -> builtins.list[T]:
        return from_cursor(self.kind, self._c.execute(sql, tuple(params)))

    def _scoped(self, tenant_id: str, key: str) -> T:
        """The row ``key`` of ``tenant_id``; :class:`NotFound` for another tenant's too."""
        found = self._one(
            f"{self._select} WHERE {self.key} = ? AND tenant_id = ?", (key, tenant_id)
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

    def _update_scoped(self, row: dict[str, Any]) -> None:
        """Update a row of its own tenant (another tenant's row is :class:`NotFound`)."""
        self._update(row, " AND tenant_id = ?", (row["tenant_id"],))

    def _delete_scoped(self, tenant_id: str, key: str) -> None:
        try:
            cursor = self._c.execute(
                f"DELETE FROM {self.table} WHERE {self.key} = ? AND tenant_id = ?",
                (key, tenant_id),
            )
        except sqlite3.IntegrityError as error:
            # Deleting a row that others still point at: that is what InUse means.
            if "FOREIGN KEY" in str(error):
                raise InUse() from None
            raise _integrity(error) from None
        if cursor.rowcount == 0:
            raise NotFound()

    def _page(self, where: str, params: list[Any], page: PageRequest, order: str) -> Page[T]:
        total = self._c.execute(f"SELECT COUNT(*) FROM {self.table} WHERE {where}", params)
        count = int(total.fetchone()[0])
        items = self._all(
            f"{self._select} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
            (*params, page.limit, page.offset),
        )
        return Page(items, count, page.limit, page.offset)


@functools.cache
def _select(kind: type[Any], table: str) -> str:
    columns = ", ".join(attribute.name for attribute in attrs.fields(kind))
    return f"SELECT {columns} FROM {table}"


def _integrity(error: sqlite3.IntegrityError) -> Exception:
    text = str(error)
    if "users.email_key" in text:
        return EmailTaken()
    if "UNIQUE" in text:
        return Conflict("that record already exists")
    if "FOREIGN KEY" in text:
        return NotFound("a referenced record does not exist")
    return Conflict(text)


class SQLiteRecords(SQLiteRepository[T]):
    """A table of a tenant's records keyed by ``id``: add, get, update and delete."""

    def add(self, row: T) -> None:
        self._insert(to_row(row))

    def get(self, tenant_id: str, row_id: str) -> T:
        return self._scoped(tenant_id, row_id)

    def update(self, row: T) -> None:
        self._update_scoped(to_row(row))

    def delete(self, tenant_id: str, row_id: str) -> None:
        self._delete_scoped(tenant_id, row_id)


class SQLiteTenantTable(SQLiteRecords[T]):
    """Records with a plain list, newest first: the organisation areas need no more."""

    def list(self, tenant_id: str, page: PageRequest) -> Page[T]:
        return self._page("tenant_id = ?", [tenant_id], page, NEWEST)


def equal_to(
    tenant_id: str, columns: Iterable[tuple[str, object | None]]
) -> tuple[list[str], list[Any]]:
    """``WHERE`` clauses and parameters: the tenant, then :func:`columns_equal`'s."""
    clauses, params = columns_equal(columns)
    return ["tenant_id = ?", *clauses], [tenant_id, *params]


def columns_equal(columns: Iterable[tuple[str, object | None]]) -> tuple[list[str], list[Any]]:
    """A clause and a parameter for each column given a value (not ``None``) equal to it.
    Enum members are compared by value."""
    clauses: list[str] = []
    params: list[Any] = []
    for column, value in columns:
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(str(value))
    return clauses, params
