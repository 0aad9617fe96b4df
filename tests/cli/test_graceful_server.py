"""The serve loop in-process, with a stand-in WSGI app: serving, and draining when stopped."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from talentos_cli.serve import GracefulServer, listen

TIMEOUT = 5.0


def hello(env: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [b"hello"]


class Running:
    """A GracefulServer running in a thread, and what it said."""

    def __init__(
        self, server: GracefulServer, port: int, messages: list[str], thread: threading.Thread
    ) -> None:
        self.server, self.port, self.messages, self.thread = server, port, messages, thread

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=TIMEOUT)

    def wait_for_message(self, fragment: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not any(fragment in message for message in self.messages):
            assert time.monotonic() < deadline, f"no message with {fragment!r}: {self.messages}"
            time.sleep(0.01)

    def wait_stopped(self, timeout: float = TIMEOUT) -> float:
        started = time.monotonic()
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the server did not stop"
        return time.monotonic() - started


@pytest.fixture
def start() -> Iterator[Callable[..., Running]]:
    """Start servers on 127.0.0.1:0; each is stopped (hurried) and joined at the end."""
    running: list[Running] = []

    def run(app: Any = hello, **options: Any) -> Running:
        sock = listen("127.0.0.1", 0)
        messages: list[str] = []
        server = GracefulServer(app, [sock], threads=2, say=messages.append, **options)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        running.append(Running(server, sock.getsockname()[1], messages, thread))
        return running[-1]

    yield run
    for item in running:
        item.server.request_stop()
        item.server.request_stop()
        item.thread.join(TIMEOUT)


def read_response(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def refused(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT):
            return False
    except ConnectionRefusedError:
        return True


class TestServing:
    def test_answers_requests_until_stopped(self, start: Callable[..., Running]):
        """Requests are answered; after a stop the thread ends and the port refuses."""
        running = start()
        connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=TIMEOUT)
        try:
            connection.request("GET", "/")
            response = connection.getresponse()
            assert (response.status, response.read()) == (200, b"hello")
            assert response.getheader("Server") == "TalentOS"
        finally:
            connection.close()

        running.server.request_stop()

        running.wait_stopped()
        assert refused(running.port)

    def test_a_body_over_the_limit_is_refused_by_the_server(self, start: Callable[..., Running]):
        """Bodies beyond the limit never reach the app: waitress answers 413 itself."""
        running = start(max_request_body_size=10)
        with running.connect() as sock:
            sock.sendall(
                b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n"
                b"Connection: close\r\n\r\n" + b"x" * 11
            )
            assert read_response(sock).startswith(b"HTTP/1.1 413 ")


class TestDraining:
    def test_a_request_in_the_app_finishes_after_the_stop(self, start: Callable[..., Running]):
        """A request the app is still handling gets its whole response, then the server ends."""
        entered, release = threading.Event(), threading.Event()

        def slow(env: dict[str, Any], start_response: Any) -> list[bytes]:
            entered.set()
            release.wait(TIMEOUT)
            start_response("200 OK", [("Content-Length", "4")])
            return [b"done"]

        running = start(slow)
        with running.connect() as sock:
            sock.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            assert entered.wait(TIMEOUT)

            running.server.request_stop()
            running.wait_for_message("finishing 1 open request")
            assert refused(running.port)
            release.set()

            response = read_response(sock)
        assert response.startswith(b"HTTP/1.1 200 OK\r\n")
        assert b"\r\nConnection: close\r\n" in response
        assert response.endswith(b"\r\n\r\ndone")
        running.wait_stopped()

    def test_a_request_still_arriving_is_answered(self, start: Callable[..., Running]):
        """A request whose headers were half sent at the stop is read to the end and answered."""
        running = start()
        with running.connect() as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            time.sleep(0.1)  # let the server take in the first half
            running.server.request_stop()
            running.wait_for_message("finishing 1 open request")

            sock.sendall(b"\r\n")
            response = read_response(sock)
        assert response.startswith(b"HTTP/1.1 200 OK\r\n") and response.endswith(b"hello")
        running.wait_stopped()

    def test_idle_keep_alive_connections_are_closed(self, start: Callable[..., Running]):
        """A keep-alive connection with nothing in flight is closed, and the stop is quick."""
        running = start()
        connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=TIMEOUT)
        try:
            connection.request("GET", "/")
            connection.getresponse().read()

            running.server.request_stop()

            assert running.wait_stopped() < 2
            assert connection.sock is not None and connection.sock.recv(1) == b""
        finally:
            connection.close()

    def test_gives_up_on_a_request_that_never_completes(self, start: Callable[..., Running]):
        """A client that never finishes its request holds the stop only until the deadline."""
        running = start(drain_seconds=0.3)
        with running.connect() as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            time.sleep(0.1)

            running.server.request_stop()

            assert running.wait_stopped() < 3
        assert any("gave up waiting for 1 request" in message for message in running.messages)

    def test_a_second_stop_stops_waiting(self, start: Callable[..., Running]):
        """Asking twice (a second Ctrl-C) ends the draining at once."""
        running = start(drain_seconds=60)
        with running.connect() as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            time.sleep(0.1)
            running.server.request_stop()
            running.wait_for_message("finishing 1 open request")

            running.server.request_stop()

            assert running.wait_stopped() < 3
