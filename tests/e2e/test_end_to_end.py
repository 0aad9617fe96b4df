"""The whole product over real sockets: `talentos serve --port 0` as a subprocess, on SQLite.

One journey a new company makes: sign up, log in with the cookie, post a vacancy, mint an
API key, list with the key, and find the vacancy on the public careers board.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

TALENTOS = Path(sys.executable).with_name("talentos")
PASSWORD = "correct horse battery staple"


class Server:
    """A `talentos serve` child process and plain HTTP/1.1 calls to it."""

    def __init__(self, tmp_path: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TALENTOS_")}
        env["TALENTOS_ARGON2"] = "2,19456,1"  # the floor: real hashing, quickly
        self.process = subprocess.Popen(
            [str(TALENTOS), "serve", "--port", "0", "--db", str(tmp_path / "talentos.db")],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        first = self.process.stdout.readline().strip()
        assert first.startswith("TalentOS listening on http://"), first
        self.url = first.rsplit(" ", 1)[1]
        address = urlsplit(self.url)
        self.host, self.port = address.hostname or "", address.port or 0

    def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], Any]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            sent = dict(headers or {})
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                sent["Content-Type"] = "application/json"
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            raw = response.read()
            answer = json.loads(raw) if raw else None
            return response.status, {k.lower(): v for k, v in response.getheaders()}, answer
        finally:
            connection.close()

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGTERM)
        try:
            _, err = self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
        return self.process.returncode, err


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path)
    try:
        yield running
    finally:
        if running.process.poll() is None:
            running.stop()


def session_cookie(headers: dict[str, str]) -> str:
    cookie = SimpleCookie()
    cookie.load(headers["set-cookie"])
    return cookie["talentos_sid"].value


class TestANewCompanysFirstHour:
    def test_signup_login_vacancy_key_bearer_list_and_careers(self, server: Server) -> None:
        """Every step answers as the contract says, over a real socket, on a real SQLite file."""
        status, _, body = server.call(
            "POST",
            "/api/auth/signup",
            {
                "companyName": "Acme Bank",
                "adminName": "Jane Doe",
                "adminEmail": "jane@acmebank.example",
                "password": PASSWORD,
            },
        )
        assert (status, body["tenant"]["id"]) == (201, "acme-bank")

        status, headers, body = server.call(
            "POST", "/api/auth/login", {"email": "JANE@acmebank.example", "password": PASSWORD}
        )
        assert (status, body["user"]["role"]) == (200, "admin")
        assert "HttpOnly" in headers["set-cookie"] and "Max-Age=1209600" in headers["set-cookie"]
        cookie = {"Cookie": f"talentos_sid={session_cookie(headers)}"}

        status, _, body = server.call(
            "POST",
            "/api/vacancies",
            {
                "title": "Senior Backend Engineer",
                "location": "Lagos",
                "level": "senior",
                "employmentType": "full_time",
                "skills": ["Go", "Postgres"],
                "internalNotes": "budget approved",
            },
            cookie,
        )
        assert (status, body["vacancy"]["status"]) == (201, "open")
        vacancy_id = body["vacancy"]["id"]

        status, _, body = server.call(
            "POST",
            "/api/tenants/me/api-keys",
            {"name": "Workday sync", "role": "recruiter"},
            cookie,
        )
        assert status == 201 and body["rawToken"].startswith("tk_")
        bearer = {"Authorization": f"Bearer {body['rawToken']}"}

        status, headers, body = server.call("GET", "/api/vacancies?limit=20", headers=bearer)
        assert (status, body["total"], [v["id"] for v in body["vacancies"]]) == (
            200,
            1,
            [vacancy_id],
        )
        assert headers["cache-control"] == "no-store"
        assert headers["x-content-type-options"] == "nosniff"

        status, _, body = server.call("GET", "/api/careers/vacancies?q=backend")
        assert status == 200
        (public,) = body["vacancies"]
        assert (public["id"], public["company"]["name"]) == (vacancy_id, "Acme Bank")
        assert "internalNotes" not in public and "applicants" not in public

        status, _, body = server.call("GET", f"/api/careers/vacancies/{vacancy_id}")
        assert (status, body["vacancy"]["title"]) == (200, "Senior Backend Engineer")

        code, log = server.stop()
        assert code == 0
        assert "POST /api/auth/signup 201" in log and "TalentOS stopped" in log

    def test_the_audit_trail_of_the_journey_verifies(self, server: Server, tmp_path: Path) -> None:
        """After the server stops, `talentos audit verify` finds the chain intact."""
        server.call(
            "POST",
            "/api/auth/signup",
            {
                "companyName": "Acme Bank",
                "adminName": "Jane Doe",
                "adminEmail": "jane@acmebank.example",
                "password": PASSWORD,
            },
        )
        assert server.stop()[0] == 0
        done = subprocess.run(
            [str(TALENTOS), "audit", "verify", "--db", str(tmp_path / "talentos.db")],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.startswith("OK tenant=acme-bank events=1 seq=1")
