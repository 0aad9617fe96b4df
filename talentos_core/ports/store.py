"""The store port: a backend, its transactions, and the unit of work gathering every repository."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from talentos_core.ports.hiring import VacancyRepository
from talentos_core.ports.identity import (
    ApiKeyRepository,
    InviteRepository,
    LoginFailureRepository,
    SessionRepository,
    TenantRepository,
    UserRepository,
)
from talentos_core.ports.jobs import JobRepository
from talentos_core.ports.limits import RateLimitRepository
from talentos_core.ports.organisation import (
    AgencyRepository,
    IntegrationRepository,
    SubsidiaryRepository,
)
from talentos_core.ports.pipeline import CandidateRepository, InterviewRepository, OfferRepository
from talentos_core.ports.trail import AuditRepository, OutboxRepository


class UnitOfWork(Protocol):
    """The repositories, bound to one transaction (or to autocommit reads)."""

    def savepoint(self) -> AbstractContextManager[None]:
        """Inside a transaction: if the block raises, undo only what it wrote, and re-raise.

        Bulk writes use it so that each item succeeds or fails alone while the whole batch
        still commits once (one fsync, not one per item).
        """
        ...

    @property
    def tenants(self) -> TenantRepository: ...

    @property
    def users(self) -> UserRepository: ...

    @property
    def sessions(self) -> SessionRepository: ...

    @property
    def invites(self) -> InviteRepository: ...

    @property
    def login_failures(self) -> LoginFailureRepository: ...

    @property
    def api_keys(self) -> ApiKeyRepository: ...

    @property
    def vacancies(self) -> VacancyRepository: ...

    @property
    def subsidiaries(self) -> SubsidiaryRepository: ...

    @property
    def agencies(self) -> AgencyRepository: ...

    @property
    def integrations(self) -> IntegrationRepository: ...

    @property
    def candidates(self) -> CandidateRepository: ...

    @property
    def offers(self) -> OfferRepository: ...

    @property
    def interviews(self) -> InterviewRepository: ...

    @property
    def rate_limits(self) -> RateLimitRepository: ...

    @property
    def audit(self) -> AuditRepository: ...

    @property
    def outbox(self) -> OutboxRepository: ...

    @property
    def jobs(self) -> JobRepository: ...


class Store(Protocol):
    """A storage backend."""

    backend: str

    def transaction(self) -> AbstractContextManager[UnitOfWork]:
        """All writes inside commit together on exit, or none do if it raises."""
        ...

    def reader(self) -> UnitOfWork:
        """Repositories for reads outside a transaction (each read sees committed data)."""
        ...

    def snapshot(self) -> AbstractContextManager[UnitOfWork]:
        """Repositories whose reads all see one committed state, whatever commits meanwhile.

        For reads that must agree with each other (an audit head and the events under it).
        Only read through it; it does not nest with a transaction.
        """
        ...

    def probe(self) -> None:
        """A cheap round trip; raises if the store cannot answer."""
        ...

    def close(self) -> None: ...
