"""`talentos serve` as a real process on 127.0.0.1: address line, access log, graceful stop."""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import Invoke, clean_environment

from talentos_cli import serve as serve_module

TALENTOS = Path(sys.executable).with_name("talentos")
TIMEOUT = 15.0
LISTENING = re.compile(r"TalentOS listening on (http://127\.0\.0\.1:(\d+))")


class ServeProcess:
    """`talentos serve --port 0` in ``cwd``, with its output read line by line in threads."""

    def __init__(self, cwd: Path, *args: str, env: dict[str, str] | None = None) -> None:
        environment = {**os.environ}
        for name, value in clean_environment(**(env or {})).items():
            if value is None:
                environment.pop(name, None)
            else:
                environment[name] = value
        self.process = subprocess.Popen(
            [str(TALENTOS), "serve", "--port", "0", "--db", str(cwd / "x.db"), *args],
            cwd=cwd,
            env=environment,
            text=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.stdout: queue.Queue[str] = queue.Queue()
        self.stderr: list[str] = []
        self._stderr_changed = threading.Condition()
        self._readers = [
            threading.Thread(target=self._read, args=(self.process.stdout, self.stdout.put)),
            threading.Thread(target=self._read, args=(self.process.stderr, self._add_stderr)),
        ]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _read(stream: Any, put: Callable[[str], None]) -> None:
        for line in stream:
            put(line.rstrip("\n"))

    def _add_stderr(self, line: str) -> None:
        with self._stderr_changed:
            self.stderr.append(line)
            self._stderr_changed.notify_all()

    def first_line(self) -> str:
        try:
            return self.stdout.get(timeout=TIMEOUT)
        except queue.Empty:
            raise AssertionError(f"no output; stderr: {self.stderr}") from None

    def url(self) -> tuple[str, int]:
        match = LISTENING.fullmatch(self.first_line())
        assert match is not None
        return match[1], int(match[2])

    def wait_stderr(self, predicate: Callable[[str], bool]) -> str:
        with self._stderr_changed:
            found = self._stderr_changed.wait_for(
                lambda: next((line for line in self.stderr if predicate(line)), None),
                timeout=TIMEOUT,
            )
        assert found, f"no such line on stderr: {self.stderr}"
        return found

    def stop(self, signum: int = signal.SIGTERM) -> int:
        self.process.send_signal(signum)
        return self.process.wait(timeout=TIMEOUT)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=TIMEOUT)
        for reader in self._readers:
            reader.join(TIMEOUT)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., ServeProcess]]:
    """Start `talentos serve` processes; each is killed (if still running) and reaped after."""
    started: list[ServeProcess] = []

    def start(*args: str, env: dict[str, str] | None = None) -> ServeProcess:
        started.append(ServeProcess(tmp_path, *args, env=env))
        return started[-1]

    yield start
    for process in started:
        process.close()


def get(port: int, path: str) -> tuple[int, dict[str, Any], str | None]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, json.loads(response.read()), response.getheader("X-Request-Id")
    finally:
        connection.close()


def refused(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT):
            return False
    except ConnectionRefusedError:
        return True


class TestServeProcess:
    def test_serves_health_and_logs_each_request(
        self, serve: Callable[..., ServeProcess], tmp_path: Path
    ):
        """The first line names the bound port; a request is answered and logged on stderr."""
        server = serve()
        url, port = server.url()

        status, body, request_id = get(port, "/api/health?probe=1")

        assert (status, body["ok"], port > 0) == (200, True, True)
        assert (tmp_path / "x.db").exists()
        line = server.wait_stderr(lambda text: " GET /api/health " in text)
        assert re.search(rf" GET /api/health 200 \d+\.\d\dms request_id={request_id}$", line)
        assert "probe" not in line
        assert server.stop() == 0
        assert server.stderr[-1] == "TalentOS stopped"
        assert url == f"http://127.0.0.1:{port}"

    def test_json_log_lines_parse(self, serve: Callable[..., ServeProcess]):
        """With --log-format json each request is one JSON object; Ctrl-C also stops cleanly."""
        server = serve("--log-format", "json")
        _, port = server.url()

        _, _, request_id = get(port, "/api/health")

        record = json.loads(server.wait_stderr(lambda text: text.startswith("{")))
        assert (record["method"], record["path"], record["status"], record["requestId"]) == (
            "GET",
            "/api/health",
            200,
            request_id,
        )
        assert server.stop(signal.SIGINT) == 0
        assert "TalentOS stopped" in server.stderr

    def test_no_access_log_and_no_worker(self, serve: Callable[..., ServeProcess]):
        """--no-access-log silences request lines; --no-worker is accepted."""
        server = serve("--no-access-log", "--no-worker")
        _, port = server.url()

        assert get(port, "/api/health")[0] == 200
        assert server.stop() == 0
        assert not [line for line in server.stderr if "/api/health" in line]

    def test_sigterm_finishes_a_request_still_arriving(self, serve: Callable[..., ServeProcess]):
        """After SIGTERM new connections are refused, but a half-sent request is answered."""
        server = serve()
        _, port = server.url()
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
            sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            time.sleep(0.2)

            server.process.send_signal(signal.SIGTERM)
            server.wait_stderr(lambda text: text.startswith("TalentOS stopping"))
            assert refused(port)
            sock.sendall(b"Accept: application/json\r\n\r\n")
            response = b""
            while chunk := sock.recv(65536):
                response += chunk

        head, _, body = response.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 OK\r\n")
        assert json.loads(body)["ok"] is True
        assert server.process.wait(timeout=TIMEOUT) == 0
        assert server.wait_stderr(lambda text: text == "TalentOS stopped")

    def test_a_bad_setting_stops_it_before_serving(self, serve: Callable[..., ServeProcess]):
        """TALENTOS_ARGON2=abc: one line on stderr, nothing on stdout, exit status 2."""
        server = serve(env={"TALENTOS_ARGON2": "abc"})

        assert server.process.wait(timeout=TIMEOUT) == 2
        server.close()
        assert server.stderr == [
            "error: TALENTOS_ARGON2: expected time_cost,memory_kib,parallelism"
        ]
        assert server.stdout.empty()


class TestServeCommand:
    """The command's wiring in-process, with the serving loop replaced by a quick return."""

    @pytest.fixture
    def captured(self, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
        seen: dict[str, Any] = {}

        def fake_app(talentos: Any) -> Any:
            seen["settings"] = talentos.settings
            return lambda env, start_response: []

        monkeypatch.setattr(serve_module, "build_app", fake_app)
        monkeypatch.setattr(serve_module.GracefulServer, "run", lambda self: None)
        return seen

    def test_public_url_defaults_to_the_bound_address(
        self, invoke: Invoke, db_path: str, captured: dict[str, Any]
    ):
        """Without TALENTOS_PUBLIC_URL, links use http://HOST:PORT with the real port."""
        result = invoke("serve", "--port", "0", "--db", db_path)

        match = LISTENING.match(result.stdout.splitlines()[0])
        assert match is not None and match[2] != "0"
        assert captured["settings"].public_url == match[1]
        assert f"curl -X POST {match[1]}/api/auth/signup" in result.stdout
        assert result.stderr.splitlines()[-1] == "TalentOS stopped"

    def test_public_url_from_the_environment_wins(
        self, invoke: Invoke, db_path: str, captured: dict[str, Any]
    ):
        """TALENTOS_PUBLIC_URL is kept as configured."""
        invoke(
            "serve",
            "--port",
            "0",
            "--db",
            db_path,
            env={"TALENTOS_PUBLIC_URL": "https://jobs.example.com/"},
        )

        assert captured["settings"].public_url == "https://jobs.example.com"

    def test_a_port_in_use_is_one_line(
        self, invoke: Invoke, db_path: str, captured: dict[str, Any]
    ):
        """Failing to listen is reported in one line naming the address."""
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]

            result = invoke("serve", "--port", str(port), "--db", db_path)

        assert result.exit_code == 1
        assert result.stderr.startswith(f"error: cannot listen on 127.0.0.1:{port}: ")
        assert result.stderr.count("\n") == 1
