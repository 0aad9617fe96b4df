"""The ports: what the services need from storage, as ``typing.Protocol``s.

Two backends implement them (``backends.memory`` and ``backends.sqlite``) and both pass the
contract suite in :mod:`talentos_core.testing.contract`. Every method that takes a
``tenant_id`` sees only that tenant's rows: another tenant's id raises
:class:`~talentos_core.errors.NotFound`, exactly like an id that does not exist. A new backend
(PostgreSQL, say) implements these protocols and runs the same suite; no service changes.

Lists are ordered newest first (``created_at``, then ``id``, descending) unless a method says
otherwise, and return a :class:`~talentos_core.domain.paging.Page`.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol

from talentos_core.domain.api_keys import ApiKey
from talentos_core.domain.audit import AuditEvent, AuditFilter, ChainHead
from talentos_core.domain.outbox import OutboxEvent
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.subsidiaries import Subsidiary
from talentos_core.domain.tenants import Tenant
from talentos_core.domain.users import Invite, Session, User
from talentos_core.domain.vacancies import CareersFilter, Vacancy, VacancyFilter


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


class VacancyRepository(Protocol):
    def add(self, vacancy: Vacancy) -> None: ...

    def get(self, tenant_id: str, vacancy_id: str) -> Vacancy: ...

    def update(self, vacancy: Vacancy) -> None: ...

    def delete(self, tenant_id: str, vacancy_id: str) -> None: ...

    def list(self, tenant_id: str, where: VacancyFilter, page: PageRequest) -> Page[Vacancy]: ...

    def list_open(self, where: CareersFilter, page: PageRequest) -> Page[Vacancy]:
        """Open vacancies of every tenant (the careers board)."""
        ...

    def find_open(self, vacancy_id: str) -> Vacancy | None: ...


class SubsidiaryRepository(Protocol):
    def add(self, subsidiary: Subsidiary) -> None: ...

    def get(self, tenant_id: str, subsidiary_id: str) -> Subsidiary: ...


class AuditRepository(Protocol):
    """Append-only: there is no update, and no delete but a whole tenant's erasure."""

    def head(self, tenant_id: str) -> ChainHead | None: ...

    def append(self, event: AuditEvent, head: ChainHead) -> None:
        """Store ``event`` and move the tenant's head to ``head``, in the current unit of work."""
        ...

    def list(self, tenant_id: str, where: AuditFilter, page: PageRequest) -> Page[AuditEvent]:
        """Newest first (by ``seq``)."""
        ...

    def stream(self, tenant_id: str, after_seq: int = 0) -> Iterator[AuditEvent]:
        """Every event after ``after_seq`` in ``seq`` order, read in batches, never all at once."""
        ...

    def count(self) -> int:
        """Events of every tenant."""
        ...

    def tenant_ids(self) -> builtins.list[str]:
        """Tenants that have a chain (events or a head), sorted."""
        ...


class OutboxRepository(Protocol):
    def add(self, event: OutboxEvent) -> None: ...

    def list(self, tenant_id: str, page: PageRequest) -> Page[OutboxEvent]: ...

    def count_pending(self) -> int:
        """Events not yet handed to webhook delivery."""
        ...


class UnitOfWork(Protocol):
    """The repositories, bound to one transaction (or to autocommit reads)."""

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
    def audit(self) -> AuditRepository: ...

    @property
    def outbox(self) -> OutboxRepository: ...


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
