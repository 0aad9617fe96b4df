"""Both built-in backends keep the one storage contract (``talentos_core.testing.contract``)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest

from talentos_core.backends.memory import MemoryStore
from talentos_core.backends.sqlite import SQLiteStore
from talentos_core.ports import Store
from talentos_core.testing import contract


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh, empty store of each backend, closed after the test."""
    made: Store = MemoryStore() if request.param == "memory" else SQLiteStore(tmp_path / "x.db")
    yield made
    made.close()


class TestTransactions(contract.TransactionContract):
    """Units of work commit whole or not at all."""


class TestTenants(contract.TenantsContract):
    """Tenant storage."""


class TestUsers(contract.UsersContract):
    """User storage."""


class TestSessions(contract.SessionsContract):
    """Session storage."""


class TestInvites(contract.InvitesContract):
    """Invite storage."""


class TestLoginFailures(contract.LoginFailuresContract):
    """Login failure storage."""


class TestApiKeys(contract.ApiKeysContract):
    """API key storage."""


class TestVacancies(contract.VacanciesContract):
    """Vacancy storage and the careers board."""


class TestSubsidiaries(contract.SubsidiariesContract):
    """Subsidiary storage."""


class TestAgencies(contract.AgenciesContract):
    """Agency storage."""


class TestIntegrations(contract.IntegrationsContract):
    """Integration storage."""


class TestCandidates(contract.CandidatesContract):
    """Candidate storage and search."""


class TestOffers(contract.OffersContract):
    """Offer storage."""


class TestInterviews(contract.InterviewsContract):
    """Interview storage."""


class TestRateLimits(contract.RateLimitsContract):
    """Rate-limit hit storage."""


class TestAudit(contract.AuditContract):
    """Audit trail storage."""


class TestOutbox(contract.OutboxContract):
    """Webhook outbox storage."""


class TestJobs(contract.JobsContract):
    """The job queue."""


class TestTheContractItself:
    """The suite shipped for downstream backends is whole and collects nothing on import."""

    def test_store_contract_gathers_every_area_contract(self) -> None:
        """``StoreContract`` inherits every ``*Contract`` class, and this module runs each."""
        areas = {
            cls
            for name, cls in inspect.getmembers(contract, inspect.isclass)
            if name.endswith("Contract") and cls is not contract.StoreContract
        }
        run_here = {
            base for cls in globals().values() if inspect.isclass(cls) for base in cls.__bases__
        }
        assert set(contract.StoreContract.__mro__) >= areas
        assert run_here >= areas

    def test_no_test_is_shadowed_when_the_areas_are_gathered(self) -> None:
        """Test names are unique across area contracts, so ``StoreContract`` loses none."""
        per_area = [
            name
            for class_name, cls in inspect.getmembers(contract, inspect.isclass)
            if class_name.endswith("Contract") and cls is not contract.StoreContract
            for name in vars(cls)
            if name.startswith("test_")
        ]
        gathered = [name for name in dir(contract.StoreContract) if name.startswith("test_")]
        assert sorted(per_area) == sorted(gathered)

    def test_no_helper_is_shadowed_when_the_areas_are_gathered(self) -> None:
        """Helper methods are unique across area contracts too, so in ``StoreContract`` each
        area's tests still call their own."""
        helpers = [
            name
            for class_name, cls in inspect.getmembers(contract, inspect.isclass)
            if class_name.endswith("Contract") and cls is not contract.StoreContract
            for name in vars(cls)
            if name.startswith("_") and not name.startswith("__")
        ]
        assert sorted(helpers) == sorted(set(helpers))

    def test_no_contract_class_is_collected_by_name(self) -> None:
        """No class in the contract module is named like a test, so importing it runs nothing."""
        names = [name for name, _ in inspect.getmembers(contract, inspect.isclass)]
        assert [name for name in names if name.startswith("Test")] == []

    def test_every_repository_of_the_ports_has_a_contract(self) -> None:
        """Each repository of the unit of work is exercised by a contract class of its own."""
        from talentos_core.ports import UnitOfWork

        properties = {name for name, v in vars(UnitOfWork).items() if isinstance(v, property)}
        repositories = set(inspect.get_annotations(UnitOfWork)) | properties
        covered = {
            "tenants": contract.TenantsContract,
            "users": contract.UsersContract,
            "sessions": contract.SessionsContract,
            "invites": contract.InvitesContract,
            "login_failures": contract.LoginFailuresContract,
            "api_keys": contract.ApiKeysContract,
            "vacancies": contract.VacanciesContract,
            "subsidiaries": contract.SubsidiariesContract,
            "agencies": contract.AgenciesContract,
            "integrations": contract.IntegrationsContract,
            "candidates": contract.CandidatesContract,
            "offers": contract.OffersContract,
            "interviews": contract.InterviewsContract,
            "rate_limits": contract.RateLimitsContract,
            "audit": contract.AuditContract,
            "outbox": contract.OutboxContract,
            "jobs": contract.JobsContract,
        }
        assert repositories == set(covered)
        assert [
            name for name, cls in covered.items() if f".{name}." not in inspect.getsource(cls)
        ] == []
