"""Assembling the services of one installation from settings (or from parts, in tests)."""

from __future__ import annotations

import secrets
from pathlib import Path
from types import TracebackType

from talentos_core.audit.chain import load_or_create_key
from talentos_core.backends.memory import MemoryStore
from talentos_core.backends.sqlite import SQLiteStore
from talentos_core.clock import Clock, SystemClock
from talentos_core.identity.passwords import Passwords
from talentos_core.ids import IdGenerator, RandomIds
from talentos_core.ports import Store
from talentos_core.services.agencies import AgencyService
from talentos_core.services.api_keys import ApiKeyService
from talentos_core.services.audit import AuditService
from talentos_core.services.auth import AuthService
from talentos_core.services.base import Dependencies
from talentos_core.services.candidates import CandidateService
from talentos_core.services.careers import CareersService
from talentos_core.services.health import HealthService
from talentos_core.services.integrations import IntegrationService
from talentos_core.services.interviews import InterviewService
from talentos_core.services.offers import OfferService
from talentos_core.services.subsidiaries import SubsidiaryService
from talentos_core.services.tenants import TenantService
from talentos_core.services.vacancies import VacancyService
from talentos_core.settings import InvalidSetting, Settings


class TalentOS:
    """Every service of one installation, sharing one store.

    Build it with :meth:`open` from :class:`Settings` (``db=":memory:"`` for the memory
    backend), or with :meth:`build` from a store you made. Close it when done, or use it as a
    context manager.
    """

    def __init__(self, deps: Dependencies) -> None:
        self.deps = deps
        self.settings = deps.settings
        self.store = deps.store
        self.auth = AuthService(deps)
        self.tenants = TenantService(deps)
        self.api_keys = ApiKeyService(deps)
        self.vacancies = VacancyService(deps)
        self.careers = CareersService(deps)
        self.candidates = CandidateService(deps)
        self.offers = OfferService(deps)
        self.interviews = InterviewService(deps)
        self.subsidiaries = SubsidiaryService(deps)
        self.agencies = AgencyService(deps)
        self.integrations = IntegrationService(deps)
        self.audit = AuditService(deps)
        self.health = HealthService(deps)

    @classmethod
    def build(
        cls,
        store: Store,
        *,
        settings: Settings | None = None,
        clock: Clock | None = None,
        ids: IdGenerator | None = None,
        audit_key: bytes | None = None,
    ) -> TalentOS:
        settings = settings or Settings(db=":memory:")
        return cls(
            Dependencies(
                store=store,
                clock=clock or SystemClock(),
                ids=ids or RandomIds(),
                settings=settings,
                audit_key=audit_key or settings.audit_key or secrets.token_bytes(32),
                passwords=Passwords(settings.argon2),
            )
        )

    @classmethod
    def open(
        cls, settings: Settings, *, clock: Clock | None = None, ids: IdGenerator | None = None
    ) -> TalentOS:
        """Open (creating and migrating) the store that ``settings.db`` names."""
        store = open_store(settings)
        try:
            key = settings.audit_key or audit_key_for(settings)
        except BaseException:
            store.close()
            raise
        return cls.build(store, settings=settings, clock=clock, ids=ids, audit_key=key)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> TalentOS:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def open_store(settings: Settings) -> Store:
    if settings.uses_memory:
        return MemoryStore()
    return SQLiteStore(settings.db)


def audit_key_path(settings: Settings) -> Path:
    """Where the audit key file of a SQLite database lives: beside it, ``<db>.audit-key``."""
    database = Path(settings.db)
    return database.with_name(database.name + ".audit-key")


def audit_key_for(settings: Settings) -> bytes:
    """The key file beside the database, created 0600 if missing (see :func:`audit_key_path`).

    The memory backend gets a fresh key per process: its chain lives no longer than that.
    """
    if settings.uses_memory:
        return secrets.token_bytes(32)
    try:
        return load_or_create_key(audit_key_path(settings))
    except ValueError as error:
        raise InvalidSetting(f"audit key: {error}") from None
