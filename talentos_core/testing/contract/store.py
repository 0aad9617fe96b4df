"""The whole storage contract in one class, for a backend to subclass once."""

from __future__ import annotations

from talentos_core.testing.contract.candidates import CandidatesContract
from talentos_core.testing.contract.hiring import VacanciesContract
from talentos_core.testing.contract.identity import (
    ApiKeysContract,
    InvitesContract,
    LoginFailuresContract,
    SessionsContract,
    TenantsContract,
    UsersContract,
)
from talentos_core.testing.contract.jobs import JobsContract
from talentos_core.testing.contract.limits import RateLimitsContract
from talentos_core.testing.contract.organisation import (
    AgenciesContract,
    IntegrationsContract,
    SubsidiariesContract,
)
from talentos_core.testing.contract.pipeline import InterviewsContract, OffersContract
from talentos_core.testing.contract.trail import AuditContract, OutboxContract
from talentos_core.testing.contract.transactions import TransactionContract


class StoreContract(
    TransactionContract,
    TenantsContract,
    UsersContract,
    SessionsContract,
    InvitesContract,
    LoginFailuresContract,
    ApiKeysContract,
    VacanciesContract,
    SubsidiariesContract,
    AgenciesContract,
    IntegrationsContract,
    CandidatesContract,
    OffersContract,
    InterviewsContract,
    RateLimitsContract,
    AuditContract,
    OutboxContract,
    JobsContract,
):
    """The whole storage contract, for a backend's test module to subclass once."""
