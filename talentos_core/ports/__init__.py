"""The ports: what the services need from storage, as ``typing.Protocol``s, one module per area.

Two backends implement them (``backends.memory`` and ``backends.sqlite``) and both pass the
contract suite in :mod:`talentos_core.testing.contract`. Every method that takes a
``tenant_id`` sees only that tenant's rows: another tenant's id raises
:class:`~talentos_core.errors.NotFound`, exactly like an id that does not exist. A new backend
(PostgreSQL, say) implements these protocols and runs the same suite; no service changes.

Lists are ordered newest first (``created_at``, then ``id``, descending) unless a method says
otherwise, and return a :class:`~talentos_core.domain.paging.Page`.
"""

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
from talentos_core.ports.store import Store, UnitOfWork
from talentos_core.ports.trail import AuditRepository, OutboxRepository

__all__ = [
    "AgencyRepository",
    "ApiKeyRepository",
    "AuditRepository",
    "CandidateRepository",
    "IntegrationRepository",
    "InterviewRepository",
    "InviteRepository",
    "JobRepository",
    "LoginFailureRepository",
    "OfferRepository",
    "OutboxRepository",
    "RateLimitRepository",
    "SessionRepository",
    "Store",
    "SubsidiaryRepository",
    "TenantRepository",
    "UnitOfWork",
    "UserRepository",
    "VacancyRepository",
]
