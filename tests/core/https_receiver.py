"""A real HTTPS webhook receiver on 127.0.0.1 for tests: a threaded http.server behind TLS with
a trustme certificate, recording every request and answering from a table of paths."""

from __future__ import annotations

import http.server
import socket
import ssl
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import attrs
import trustme


@attrs.frozen
class Received:
    """One request as the receiver saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    connection: int  # which accepted connection carried it, counting from 1


@attrs.define
class Reply:
    """How the receiver answers one path."""

    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = attrs.field(factory=dict)
    delay: float = 0.0  # seconds before answering (cut short when the receiver stops)
    drip: float = 0.0  # if set, the body is sent a byte at a time, this many seconds apart
    hang_up: bool = False  # close the connection after answering, without saying so


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real receivers do
    timeout = 5  # an idle kept-alive connection ends after this, so threads always finish
    server: _Server

    def setup(self) -> None:
        # The TLS handshake runs here, in the connection's own thread, not in accept().
        self.request.do_handshake()
        super().setup()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.server.record(
            Received(
                self.command, self.path, dict(self.headers.items()), body, self.server.number(self)
            )
        )
        reply = self.server.replies.get(self.path.split("?")[0], Reply())
        if reply.delay and self.server.stopping.wait(reply.delay):
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if reply.drip:
            for index in range(len(reply.body)):
                if self.server.stopping.wait(reply.drip):
                    return
                self.wfile.write(reply.body[index : index + 1])
                self.wfile.flush()
        else:
            self.wfile.write(reply.body)
        if reply.hang_up:
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read ``received`` instead."""


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins every connection's thread
    block_on_close = True

    def __init__(self, context: ssl.SSLContext, replies: dict[str, Reply]) -> None:
        self.context = context
        self.replies = replies
        self.received: list[Received] = []
        self.connections: dict[int, int] = {}
        self.accepted = 0
        self.errors: list[BaseException] = []
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def get_request(self) -> tuple[socket.socket, tuple[str, int]]:
        sock, address = self.socket.accept()
        tls = self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        with self.lock:
            self.accepted += 1
            self.connections[id(tls)] = self.accepted
        return tls, address

    def number(self, handler: _Handler) -> int:
        with self.lock:
            return self.connections[id(handler.request)]

    def record(self, received: Received) -> None:
        with self.lock:
            self.received.append(received)

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients that give up (timeouts, refused certificates, short reads) are part of the
        # tests; keep the error for inspection instead of printing a traceback.
        error = sys.exc_info()[1]
        if error is not None:
            with self.lock:
                self.errors.append(error)


@attrs.define
class Receiver:
    """A running receiver: ``url(path)`` to send to, ``received`` to read what arrived."""

    server: _Server
    ca: trustme.CA
    ca_file: str
    sni: list[str | None]

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def received(self) -> list[Received]:
        with self.server.lock:
            return list(self.server.received)

    @property
    def connection_count(self) -> int:
        with self.server.lock:
            return self.server.accepted

    def reply(self, path: str, reply: Reply) -> None:
        self.server.replies[path] = reply

    def url(self, path: str = "/hook", host: str = "localhost") -> str:
        return f"https://{host}:{self.port}{path}"


@contextmanager
def https_receiver(
    ca: trustme.CA, ca_file: str, names: tuple[str, ...] = ("localhost", "127.0.0.1")
) -> Iterator[Receiver]:
    """Serve HTTPS on 127.0.0.1 with a certificate from ``ca`` for ``names``; stop on exit."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(context)
    sni: list[str | None] = []

    def record_sni(_sock: object, name: str | None, _context: ssl.SSLContext) -> None:
        sni.append(name)

    context.sni_callback = record_sni
    server = _Server(context, {})
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield Receiver(server, ca, ca_file, sni)
    finally:
        server.stopping.set()
        server.shutdown()
        thread.join()
        server.server_close()  # joins the connection threads


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
