"""The in-memory store: a product feature for tests and embedding, not a mock.

It behaves exactly like the SQLite backend (the contract suite proves it): the same errors,
ordering, filtering and isolation, and transactions that roll back. One re-entrant lock
serializes writers; a transaction keeps an undo log and replays it backwards on failure.
Objects are copied in and out, so a caller mutating what it got back changes nothing stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from talentos_core.backends.memory.base import Tables
from talentos_core.backends.memory.hiring import MemoryVacancies
from talentos_core.backends.memory.identity import (
    MemoryApiKeys,
    MemoryInvites,
    MemoryLoginFailures,
    MemorySessions,
    MemoryTenants,
    MemoryUsers,
)
from talentos_core.backends.memory.jobs import MemoryJobs
from talentos_core.backends.memory.limits import MemoryRateLimits
from talentos_core.backends.memory.organisation import (
    MemoryAgencies,
    MemoryIntegrations,
    MemorySubsidiaries,
)
from talentos_core.backends.memory.pipeline import MemoryCandidates, MemoryInterviews, MemoryOffers
from talentos_core.backends.memory.trail import MemoryAudit, MemoryOutbox


class _MemoryUnitOfWork:
    def __init__(self, tables: Tables) -> None:
        self.savepoint = tables.savepoint
        self.tenants = MemoryTenants(tables)
        self.users = MemoryUsers(tables)
        self.sessions = MemorySessions(tables)
        self.invites = MemoryInvites(tables)
        self.login_failures = MemoryLoginFailures(tables)
        self.api_keys = MemoryApiKeys(tables)
        self.vacancies = MemoryVacancies(tables)
        self.subsidiaries = MemorySubsidiaries(tables)
        self.agencies = MemoryAgencies(tables)
        self.integrations = MemoryIntegrations(tables)
        self.candidates = MemoryCandidates(tables)
        self.offers = MemoryOffers(tables)
        self.interviews = MemoryInterviews(tables)
        self.rate_limits = MemoryRateLimits(tables)
        self.audit = MemoryAudit(tables)
        self.outbox = MemoryOutbox(tables)
        self.jobs = MemoryJobs(tables)


class MemoryStore:
    """Thread-safe in-memory storage; see the module docstring."""

    backend = "memory"

    def __init__(self) -> None:
        self._tables = Tables()
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
        self._tables = Tables()
        self._uow = _MemoryUnitOfWork(self._tables)
