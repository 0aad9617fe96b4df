"""HTTP fixtures: the Falcon app over the ``talentos`` fixture (both backends), and callers.

Everything here goes through ``falcon.testing.TestClient``: tenants sign up over HTTP, teammates
of every role sign in over HTTP, API keys are minted over HTTP. The core is used only to set up
what the API cannot yet create (an invited teammate) and to look behind the API's back.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import falcon.testing
import pytest

from talentos_core import TalentOS
from talentos_core.domain.actors import Actor
from talentos_core.roles import Role
from talentos_core.testing import (
    DEFAULT_PASSWORD,
    FrozenClock,
    memory_talentos,
    sqlite_talentos,
    teammate,
    test_settings,
)
from talentos_http.app import create_app
from talentos_http.credentials import COOKIE

#: TestClient's default host; a browser on the API's own pages sends this Origin.
SAME_ORIGIN = "http://falconframework.org"
FOREIGN_ORIGIN = "https://evil.example"

_serial = itertools.count(1)


def unique(prefix: str = "x") -> str:
    """A short string no other call in this process returns."""
    return f"{prefix}{next(_serial)}"


@attrs.frozen
class Account:
    """A tenant signed up over HTTP: its admin's cookie, and the same admin as a core actor."""

    tenant_id: str
    email: str
    cookie: str
    actor: Actor

    @property
    def headers(self) -> dict[str, str]:
        return cookie_header(self.cookie)


def cookie_header(value: str) -> dict[str, str]:
    return {"Cookie": f"{COOKIE}={value}"}


def bearer_header(raw_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw_token}"}


def session_cookie(result: falcon.testing.Result) -> str:
    """The ``talentos_sid`` value a response sets; fails the test if it sets none."""
    cookie = result.cookies.get(COOKIE)
    assert cookie is not None, f"no {COOKIE} cookie in {result.headers!r}"
    return str(cookie.value)


def assert_error(result: falcon.testing.Result, status: int, code: str) -> dict[str, Any]:
    """Assert the contract's error envelope with this status and code; return ``error``."""
    assert (result.status_code, _code(result)) == (status, code), result.text
    body = result.json
    assert body["ok"] is False
    error = body["error"]
    assert set(error) <= {"code", "message", "fields"}
    assert isinstance(error["message"], str)
    assert error["message"]
    assert re.fullmatch(r"[a-z][a-z_]*", error["code"])
    return dict(error)


def _code(result: falcon.testing.Result) -> str | None:
    try:
        return str(result.json["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return None


class Api:
    """The TestClient plus the few moves every HTTP test needs."""

    def __init__(self, talentos: TalentOS, client: falcon.testing.TestClient) -> None:
        self.talentos = talentos
        self.client = client

    def signup(self, company: str | None = None, email: str | None = None) -> Account:
        """Sign a new tenant up over HTTP; its admin is signed in."""
        company = company or unique("Company ")
        email = email or f"{unique('admin')}@{unique('d')}.example"
        result = self.client.simulate_post(
            "/api/auth/signup",
            json={
                "companyName": company,
                "adminName": "Admin",
                "adminEmail": email,
                "password": DEFAULT_PASSWORD,
            },
        )
        assert result.status_code == 201, result.text
        cookie = session_cookie(result)
        actor = self.talentos.auth.authenticate_session(cookie)
        return Account(result.json["tenant"]["id"], email, cookie, actor)

    def login(
        self, email: str, password: str = DEFAULT_PASSWORD, headers: dict[str, str] | None = None
    ) -> falcon.testing.Result:
        return self.client.simulate_post(
            "/api/auth/login", json={"email": email, "password": password}, headers=headers
        )

    def login_cookie(self, email: str, password: str = DEFAULT_PASSWORD) -> str:
        result = self.login(email, password)
        assert result.status_code == 200, result.text
        return session_cookie(result)

    def mint_key(self, account: Account, role: Role | None = None) -> str:
        """An API key minted over HTTP by ``account``'s admin; returns the raw token."""
        body: dict[str, Any] = {"name": unique("key ")}
        if role is not None:
            body["role"] = role.value
        result = self.client.simulate_post(
            "/api/tenants/me/api-keys", json=body, headers=account.headers
        )
        assert result.status_code == 201, result.text
        return str(result.json["rawToken"])

    def user_cookie(self, account: Account, role: Role) -> str:
        """A fresh HTTP login of a user with ``role`` in ``account``'s tenant."""
        if role == Role.ADMIN:
            return self.login_cookie(account.email)
        user = teammate(self.talentos, account.actor, role)
        assert user.email is not None
        return self.login_cookie(user.email)

    def credential(self, account: Account, role: Role, via: str) -> dict[str, str]:
        """Headers that authenticate as ``role`` in ``account``'s tenant, by cookie or key."""
        if via == "cookie":
            return cookie_header(self.user_cookie(account, role))
        assert via == "bearer", via
        return bearer_header(self.mint_key(account, role))

    def request(self, method: str, path: str, **kwargs: Any) -> falcon.testing.Result:
        return self.client.simulate_request(method, path, **kwargs)

    # The module's helpers, reachable from tests through the fixture.
    unique = staticmethod(unique)
    cookie_header = staticmethod(cookie_header)
    bearer_header = staticmethod(bearer_header)
    session_cookie = staticmethod(session_cookie)
    assert_error = staticmethod(assert_error)
    SAME_ORIGIN = SAME_ORIGIN
    FOREIGN_ORIGIN = FOREIGN_ORIGIN


@pytest.fixture
def client(talentos: TalentOS) -> falcon.testing.TestClient:
    """A TestClient over the app built on the backend under test."""
    return falcon.testing.TestClient(create_app(talentos))


@pytest.fixture
def api(talentos: TalentOS, client: falcon.testing.TestClient) -> Api:
    return Api(talentos, client)


@pytest.fixture
def acme(api: Api) -> Account:
    """The first tenant, signed up over HTTP."""
    return api.signup("Acme Bank", "admin@acme.example")


@pytest.fixture
def globex(api: Api) -> Account:
    """A second tenant, for isolation tests."""
    return api.signup("Globex", "admin@globex.example")


MakeTalentOS = Callable[..., TalentOS]


@pytest.fixture
def make_talentos(backend: str, tmp_path: Any, clock: FrozenClock) -> Iterator[MakeTalentOS]:
    """Build more installations on the backend under test (custom settings); all closed after."""
    built: list[TalentOS] = []

    def make(**settings: Any) -> TalentOS:
        if backend == "memory":
            services = memory_talentos(clock=clock, settings=test_settings(**settings))
        else:
            path = str(tmp_path / f"{unique('extra')}.db")
            services = sqlite_talentos(
                path, clock=clock, settings=test_settings(db=path, **settings)
            )
        built.append(services)
        return services

    yield make
    for services in built:
        services.close()
