"""The one contract every storage backend keeps (CONTRACT §1, STYLE rule 7).

A backend's test module provides a ``store`` fixture (a fresh, empty
:class:`~talentos_core.ports.Store`, closed afterwards) and subclasses these classes, one per
repository, or :class:`StoreContract`, which gathers them all::

    import pytest
    from talentos_core.testing import contract

    @pytest.fixture
    def store(tmp_path):
        store = MyStore(tmp_path / "talentos.db")
        yield store
        store.close()

    class TestMyStore(contract.StoreContract):
        \"\"\"MyStore keeps the storage contract.\"\"\"

The classes are named ``*Contract`` rather than ``Test*`` so that importing them collects
nothing until a ``Test*`` class inherits them. Only test suites import this module: it needs
pytest and hypothesis.
"""

from __future__ import annotations

from talentos_core.testing.contract._support import ACME as ACME
from talentos_core.testing.contract._support import EVERYONE as EVERYONE
from talentos_core.testing.contract._support import GLOBEX as GLOBEX
from talentos_core.testing.contract._support import T0 as T0
from talentos_core.testing.contract._support import at as at
from talentos_core.testing.contract._support import fresh as fresh
from talentos_core.testing.contract._support import ids as ids
from talentos_core.testing.contract.builders import append as append
from talentos_core.testing.contract.builders import full_agency as full_agency
from talentos_core.testing.contract.builders import full_api_key as full_api_key
from talentos_core.testing.contract.builders import full_candidate as full_candidate
from talentos_core.testing.contract.builders import full_event as full_event
from talentos_core.testing.contract.builders import full_integration as full_integration
from talentos_core.testing.contract.builders import full_interview as full_interview
from talentos_core.testing.contract.builders import full_job as full_job
from talentos_core.testing.contract.builders import full_offer as full_offer
from talentos_core.testing.contract.builders import full_subsidiary as full_subsidiary
from talentos_core.testing.contract.builders import full_tenant as full_tenant
from talentos_core.testing.contract.builders import full_user as full_user
from talentos_core.testing.contract.builders import full_vacancy as full_vacancy
from talentos_core.testing.contract.builders import head_of as head_of
from talentos_core.testing.contract.builders import make_agency as make_agency
from talentos_core.testing.contract.builders import make_api_key as make_api_key
from talentos_core.testing.contract.builders import make_candidate as make_candidate
from talentos_core.testing.contract.builders import make_event as make_event
from talentos_core.testing.contract.builders import make_integration as make_integration
from talentos_core.testing.contract.builders import make_interview as make_interview
from talentos_core.testing.contract.builders import make_job as make_job
from talentos_core.testing.contract.builders import make_offer as make_offer
from talentos_core.testing.contract.builders import make_outbox as make_outbox
from talentos_core.testing.contract.builders import make_subsidiary as make_subsidiary
from talentos_core.testing.contract.builders import make_tenant as make_tenant
from talentos_core.testing.contract.builders import make_user as make_user
from talentos_core.testing.contract.builders import make_vacancy as make_vacancy
from talentos_core.testing.contract.builders import seed as seed
from talentos_core.testing.contract.builders import seed_pipeline as seed_pipeline
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
from talentos_core.testing.contract.store import StoreContract
from talentos_core.testing.contract.trail import AuditContract, OutboxContract
from talentos_core.testing.contract.transactions import TransactionContract

__all__ = [
    "AgenciesContract",
    "ApiKeysContract",
    "AuditContract",
    "CandidatesContract",
    "IntegrationsContract",
    "InterviewsContract",
    "InvitesContract",
    "JobsContract",
    "LoginFailuresContract",
    "OffersContract",
    "OutboxContract",
    "RateLimitsContract",
    "SessionsContract",
    "StoreContract",
    "SubsidiariesContract",
    "TenantsContract",
    "TransactionContract",
    "UsersContract",
    "VacanciesContract",
]
