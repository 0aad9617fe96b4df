"""A real TalentOS server on a real socket, with two tenants to fuzz with (SECURITY-TESTS 33).

The server is the production wiring: ``create_app`` over ``TalentOS.open`` on a SQLite file,
the system clock and random ids, served by waitress from a background thread. Only the argon2
parameters are cheap. Every request is recorded (credential, method, path, status) so tests can
prove that the cross-tenant probes really happened.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs
import pytest
import requests
import waitress

from talentos_core.bootstrap import TalentOS
from talentos_core.testing import DEFAULT_PASSWORD, test_settings
from talentos_http import create_app

#: Requests made while setting up; generous, the server is local.
TIMEOUT = 10


@attrs.frozen
class Exchange:
    """One request the server answered."""

    authorization: str | None
    method: str
    path: str
    status: int


class Recorder:
    """WSGI middleware keeping every exchange; thread-safe (waitress serves from 4 threads)."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._exchanges: list[Exchange] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            exchange = Exchange(
                environ.get("HTTP_AUTHORIZATION"),
                environ["REQUEST_METHOD"],
                environ.get("PATH_INFO", ""),
                int(status[:3]),
            )
            with self._lock:
                self._exchanges.append(exchange)
            return start_response(status, headers, exc_info)

        return self.app(environ, start)

    @property
    def exchanges(self) -> list[Exchange]:
        with self._lock:
            return list(self._exchanges)


class LiveServer:
    """waitress in a background thread; :meth:`stop` leaves no thread, socket or pipe open."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self._server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
        self.url = f"http://127.0.0.1:{self._server.effective_port}"
        self._thread = threading.Thread(
            target=self._server.run, name="talentos-live-server", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        server = self._server

        def close_everything() -> None:
            # Runs inside the event loop thread: closing every dispatcher (the listening
            # socket, open connections and the trigger pipe itself) empties the socket map,
            # which is what ends ``wasyncore.loop``.
            for dispatcher in list(server._map.values()):
                dispatcher.close()

        server.trigger.pull_trigger(close_everything)
        self._thread.join(timeout=10)
        assert not self._thread.is_alive(), "the waitress loop did not stop"
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=10)


@attrs.frozen
class Tenant:
    """A signed-up tenant and its admin's Bearer API key."""

    label: str
    company: str
    tenant_id: str
    token: str
    key_id: str

    @property
    def authorization(self) -> str:
        return f"Bearer {self.token}"


@attrs.frozen
class Live:
    url: str
    recorder: Recorder
    tenants: tuple[Tenant, Tenant]

    def reset_vacancies(self) -> None:
        """Both tenants back to their three seeded vacancies (new ids, same shape)."""
        for tenant in self.tenants:
            reset_vacancies(self.url, tenant.token, tenant.company)


SEEDED = (("Teller", "open"), ("Analyst", "draft"), ("Auditor", "closed"))


def reset_vacancies(url: str, token: str, company: str) -> None:
    """Delete the tenant's candidates and vacancies and create the three seeded vacancies again.

    Run before each stateful scenario, so that every scenario starts from lists of the same
    shape: Hypothesis requires generation to depend on its own choices only, and links
    draw their values from earlier responses.
    """
    with requests.Session() as client:
        client.headers["Authorization"] = f"Bearer {token}"
        # Candidates first: a vacancy with candidates cannot be deleted (409 in_use).
        while True:
            candidates = client.get(
                f"{url}/api/candidates", params={"limit": 200}, timeout=TIMEOUT
            ).json()["candidates"]
            if not candidates:
                break
            for candidate in candidates:
                gone = client.delete(f"{url}/api/candidates/{candidate['id']}", timeout=TIMEOUT)
                assert gone.status_code == 200, gone.text
        listed = client.get(f"{url}/api/vacancies", params={"limit": 200}, timeout=TIMEOUT)
        assert listed.status_code == 200, listed.text
        for vacancy in listed.json()["vacancies"]:
            gone = client.delete(f"{url}/api/vacancies/{vacancy['id']}", timeout=TIMEOUT)
            assert gone.status_code == 200, gone.text
        for title, status in SEEDED:
            created = client.post(
                f"{url}/api/vacancies",
                json={"title": f"{title} at {company}", "status": status, "location": "Remote"},
                timeout=TIMEOUT,
            )
            assert created.status_code == 201, created.text


def _sign_up(url: str, label: str, company: str) -> Tenant:
    """Sign up over HTTP, mint an admin API key with the session, create three vacancies."""
    with requests.Session() as browser:
        signed_up = browser.post(
            f"{url}/api/auth/signup",
            json={
                "companyName": company,
                "adminName": f"Admin {company}",
                "adminEmail": f"admin@{label}.example",
                "password": DEFAULT_PASSWORD,
            },
            timeout=TIMEOUT,
        )
        assert signed_up.status_code == 201, signed_up.text
        minted = browser.post(
            f"{url}/api/tenants/me/api-keys",
            json={"name": "schemathesis", "role": "admin"},
            timeout=TIMEOUT,
        )
        assert minted.status_code == 201, minted.text
    token = minted.json()["rawToken"]
    reset_vacancies(url, token, company)
    return Tenant(
        label=label,
        company=company,
        tenant_id=signed_up.json()["tenant"]["id"],
        token=token,
        key_id=minted.json()["key"]["id"],
    )


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The running server and its two tenants; torn down when the module is done."""
    database = tmp_path_factory.mktemp("schemathesis") / "talentos.db"
    talentos = TalentOS.open(test_settings(db=str(database)))
    try:
        recorder = Recorder(create_app(talentos))
        server = LiveServer(recorder)
        server.start()
        try:
            tenants = (
                _sign_up(server.url, "tenant-a", "Tenant A Bank"),
                _sign_up(server.url, "tenant-b", "Tenant B Insurance"),
            )
            yield Live(server.url, recorder, tenants)
        finally:
            server.stop()
    finally:
        talentos.close()


@pytest.fixture(autouse=True)
def _lazy_schema_node_id(request: pytest.FixtureRequest) -> None:
    """Shim: Schemathesis 4.32's ``from_fixture`` reads and rewrites ``Node._nodeid`` to name
    each operation's subtest, and pytest 9.2 no longer has that attribute."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid
