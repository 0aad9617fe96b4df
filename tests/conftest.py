"""Fixtures shared by the whole suite: each service-level test runs on both backends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from talentos_core import TalentOS
from talentos_core.testing import FrozenClock, memory_talentos, sqlite_talentos

settings.register_profile(
    "talentos",
    deadline=None,
    max_examples=50,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("talentos")

BACKENDS = ("memory", "sqlite")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The storage backend under test: every test using it runs once per backend."""
    return str(request.param)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def talentos(backend: str, tmp_path, clock: FrozenClock) -> Iterator[TalentOS]:  # type: ignore[no-untyped-def]
    """TalentOS on the backend under test, with a frozen clock and sequential ids."""
    if backend == "memory":
        services = memory_talentos(clock=clock)
    else:
        services = sqlite_talentos(str(tmp_path / "talentos.db"), clock=clock)
    yield services
    services.close()
