"""The SQLite store: connections, transactions and migrations."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from talentos_core.backends.sqlite.hiring import SQLiteVacancies
from talentos_core.backends.sqlite.identity import (
    SQLiteApiKeys,
    SQLiteInvites,
    SQLiteLoginFailures,
    SQLiteSessions,
    SQLiteTenants,
    SQLiteUsers,
)
from talentos_core.backends.sqlite.jobs import SQLiteJobs
from talentos_core.backends.sqlite.limits import SQLiteRateLimits
from talentos_core.backends.sqlite.migrations import migrate
from talentos_core.backends.sqlite.organisation import (
    SQLiteAgencies,
    SQLiteIntegrations,
    SQLiteSubsidiaries,
)
from talentos_core.backends.sqlite.pipeline import (
    SQLiteCandidates,
    SQLiteInterviews,
    SQLiteOffers,
    fields_contain,
)
from talentos_core.backends.sqlite.trail import SQLiteAudit, SQLiteOutbox
from talentos_core.clock import isoformat
from talentos_core.errors import Unavailable

BUSY_TIMEOUT_MS = 10_000
BUSY_MESSAGE = "The database is busy; try again shortly."


class SQLiteUnitOfWork:
    """The repositories over one connection."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self.tenants = SQLiteTenants(connection)
        self.users = SQLiteUsers(connection)
        self.sessions = SQLiteSessions(connection)
        self.invites = SQLiteInvites(connection)
        self.login_failures = SQLiteLoginFailures(connection)
        self.api_keys = SQLiteApiKeys(connection)
        self.vacancies = SQLiteVacancies(connection)
        self.subsidiaries = SQLiteSubsidiaries(connection)
        self.agencies = SQLiteAgencies(connection)
        self.integrations = SQLiteIntegrations(connection)
        self.candidates = SQLiteCandidates(connection)
        self.offers = SQLiteOffers(connection)
        self.interviews = SQLiteInterviews(connection)
        self.rate_limits = SQLiteRateLimits(connection)
        self.audit = SQLiteAudit(connection)
        self.outbox = SQLiteOutbox(connection)
        self.jobs = SQLiteJobs(connection)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        if not self._connection.in_transaction:
            raise RuntimeError("a savepoint needs an open transaction")
        self._connection.execute("SAVEPOINT item")
        try:
            yield
        except BaseException:
            self._connection.execute("ROLLBACK TO item")
            self._connection.execute("RELEASE item")
            raise
        self._connection.execute("RELEASE item")


class SQLiteStore:
    """Storage in one SQLite file.

    Each thread gets its own connection (WAL lets readers run beside the one writer).
    A transaction starts with ``BEGIN IMMEDIATE`` so that writers queue on the busy timeout
    instead of failing when they upgrade from reading; ``synchronous=FULL`` so that a commit
    survives a power cut, since the audit trail and webhook outbox promise nothing is lost.
    """

    backend = "sqlite"

    def __init__(
        self, path: str | Path, *, migrate_now: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS
    ) -> None:
        self.path = str(path)
        self._busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False
        if migrate_now:
            try:
                self.migrate()
            except BaseException:
                self.close()  # nobody else can: the caller never gets the store
                raise

    def migrate(self) -> list[int]:
        """Apply pending migrations; return the versions applied."""
        return migrate(self._connection(), isoformat(datetime.now(UTC)))

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            if self._closed:
                raise RuntimeError("the store is closed")
            connection = sqlite3.connect(
                self.path,
                isolation_level=None,
                check_same_thread=False,
                timeout=self._busy_timeout_ms / 1000,
            )
            try:
                connection.execute("PRAGMA journal_mode = WAL")  # fails if not a database
                connection.execute("PRAGMA synchronous = FULL")
                connection.execute("PRAGMA foreign_keys = ON")
                connection.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")
                connection.create_function("fields_contain", 4, fields_contain, deterministic=True)
            except BaseException:
                connection.close()
                raise
            self._local.connection = connection
            self._local.uow = SQLiteUnitOfWork(connection)
            with self._lock:
                self._connections.append(connection)
        return connection

    def _unit_of_work(self) -> SQLiteUnitOfWork:
        self._connection()
        uow: SQLiteUnitOfWork = self._local.uow
        return uow

    @contextmanager
    def transaction(self) -> Iterator[SQLiteUnitOfWork]:
        connection = self._connection()
        if connection.in_transaction:
            raise RuntimeError("transactions do not nest")
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if _is_busy(error):
                raise Unavailable(BUSY_MESSAGE) from error
            raise
        try:
            yield self._unit_of_work()
            connection.execute("COMMIT")
        except BaseException as error:
            # Roll back whatever failed, the COMMIT included, so this thread's connection is
            # never left inside a transaction that every later call would trip over.
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            if isinstance(error, sqlite3.OperationalError) and _is_busy(error):
                raise Unavailable(BUSY_MESSAGE) from error
            raise

    def reader(self) -> SQLiteUnitOfWork:
        return self._unit_of_work()

    @contextmanager
    def snapshot(self) -> Iterator[SQLiteUnitOfWork]:
        connection = self._connection()
        if connection.in_transaction:
            raise RuntimeError("a snapshot does not nest in a transaction")
        # A deferred BEGIN takes WAL's read snapshot at its first read and keeps it to the end.
        connection.execute("BEGIN")
        try:
            yield self._unit_of_work()
        finally:
            if connection.in_transaction:
                connection.execute("COMMIT")

    def probe(self) -> None:
        self._connection().execute("SELECT 1").fetchone()

    def close(self) -> None:
        """Close every connection this store opened, in every thread."""
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()


def _is_busy(error: sqlite3.OperationalError) -> bool:
    """Still locked after the busy timeout: :class:`Unavailable` (503), not a bug (500)."""
    text = str(error).lower()
    return "locked" in text or "busy" in text
