"""What a downstream test suite needs to run TalentOS in-process, with no network.

``memory_talentos()`` gives the services on the memory backend with a :class:`FrozenClock`,
:class:`~talentos_core.ids.SequentialIds` and cheap password hashing; the contract suite for
storage backends is in :mod:`talentos_core.testing.contract`. For webhooks, :class:`FakeResolver`
answers DNS from a table and :class:`RecordingTransport` records deliveries and answers from a
script.
"""

from __future__ import annotations

import secrets
import threading
from datetime import UTC, datetime, timedelta

from talentos_core.backends.memory import MemoryStore
from talentos_core.bootstrap import TalentOS
from talentos_core.domain.actors import Actor
from talentos_core.domain.users import AcceptInvite, InviteRequest, Signup
from talentos_core.ids import SequentialIds, slugify
from talentos_core.roles import Role
from talentos_core.settings import Argon2Parameters, Settings
from talentos_core.testing.webhooks import FakeResolver, RecordingTransport, Reply

#: Fast argon2id parameters for tests only: production refuses anything this weak.
CHEAP_ARGON2 = Argon2Parameters(time_cost=1, memory_kib=8, parallelism=1)
#: Fast scrypt cost for API keys in tests (production uses 2**14).
CHEAP_KEY_COST = 2**4
#: A fixed audit key, so test chains can be checked by hand.
TEST_AUDIT_KEY = bytes(range(32))
EPOCH = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


class FrozenClock:
    """A clock that moves only when told to. Thread-safe."""

    def __init__(self, start: datetime = EPOCH) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move forward by ``delta`` (or ``timedelta(**kwargs)``); returns the new time."""
        with self._lock:
            self._now += delta if delta is not None else timedelta(**kwargs)
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment


def test_settings(**overrides: object) -> Settings:
    """Settings for tests: memory backend and cheap hashing unless overridden."""
    values: dict[str, object] = {
        "db": ":memory:",
        "argon2": CHEAP_ARGON2,
        "api_key_cost": CHEAP_KEY_COST,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]  # keys are field names by construction


test_settings.__test__ = False  # type: ignore[attr-defined]  # a helper, not a pytest test


def memory_talentos(
    *, clock: FrozenClock | None = None, settings: Settings | None = None
) -> TalentOS:
    """The services on a fresh memory store, with a frozen clock and sequential ids."""
    return TalentOS.build(
        MemoryStore(),
        settings=settings or test_settings(),
        clock=clock or FrozenClock(),
        ids=SequentialIds(),
        audit_key=TEST_AUDIT_KEY,
    )


def sqlite_talentos(
    path: str, *, clock: FrozenClock | None = None, settings: Settings | None = None
) -> TalentOS:
    """The services on a SQLite file, with the same test conveniences as :func:`memory_talentos`."""
    from talentos_core.backends.sqlite import SQLiteStore

    return TalentOS.build(
        SQLiteStore(path),
        settings=settings or test_settings(db=path),
        clock=clock or FrozenClock(),
        ids=SequentialIds(),
        audit_key=TEST_AUDIT_KEY,
    )


DEFAULT_PASSWORD = "correct horse battery staple"


def sign_up(talentos: TalentOS, company_name: str = "Acme Bank", email: str | None = None) -> Actor:
    """Sign up a tenant and return its admin as an :class:`Actor` (with a live session)."""
    email = email or f"admin@{slugify(company_name)}.example"
    signed_in = talentos.auth.signup(
        Actor.public(), Signup(company_name, "Admin " + company_name, email, DEFAULT_PASSWORD)
    )
    return talentos.auth.authenticate_session(signed_in.session_token)


def teammate(talentos: TalentOS, admin: Actor, role: Role, email: str | None = None) -> Actor:
    """Invite and accept a user with ``role`` into ``admin``'s tenant; return them signed in."""
    email = email or f"{role.value}-{secrets.token_hex(3)}@{admin.tenant_id}.example"
    issued = talentos.auth.invite(admin, InviteRequest(email, role.value.title(), role))
    token = issued.invite_url.rsplit("token=", 1)[1]
    signed_in = talentos.auth.accept_invite(Actor.public(), AcceptInvite(token, DEFAULT_PASSWORD))
    return talentos.auth.authenticate_session(signed_in.session_token)


__all__ = [
    "CHEAP_ARGON2",
    "CHEAP_KEY_COST",
    "DEFAULT_PASSWORD",
    "EPOCH",
    "TEST_AUDIT_KEY",
    "FakeResolver",
    "FrozenClock",
    "RecordingTransport",
    "Reply",
    "SequentialIds",
    "memory_talentos",
    "sign_up",
    "sqlite_talentos",
    "teammate",
    "test_settings",
]
