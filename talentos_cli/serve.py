"""``talentos serve``: the HTTP API on waitress, stopping gracefully on SIGTERM and SIGINT.

Stopping closes the listening socket first (new connections are refused), then keeps
waitress's event loop turning until every request already received, or being received,
has been answered and its response flushed, for at most :data:`DRAIN_SECONDS`. Responses
sent while stopping carry ``Connection: close``; idle keep-alive connections are closed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import socket
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import click
from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server
from waitress.task import WSGITask

from talentos_cli.access_log import AccessLog, WSGIApp
from talentos_cli.config import database_options, describe, load_settings, open_talentos
from talentos_cli.output import CommandError
from talentos_core import TalentOS

KIB, MIB = 1024, 1024 * 1024
#: How long a stop waits for in-flight requests before giving up on them.
DRAIN_SECONDS = 10.0

#: waitress's limits. The body limit admits an 8 MiB upload with its multipart framing; the
#: application itself holds JSON bodies to 1 MiB and uploads to 8 MiB, with proper errors.
SERVER_LIMITS: dict[str, Any] = {
    "max_request_body_size": 9 * MIB,
    "max_request_header_size": 64 * KIB,
    "channel_timeout": 60,
    "connection_limit": 200,
    "cleanup_interval": 30,
    "asyncore_use_poll": True,
    "log_socket_errors": False,  # a client hanging up early is not the server's error
    "expose_tracebacks": False,
    "ident": "TalentOS",
}


@click.command()
@database_options
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 for every interface.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8080,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 512),
    default=8,
    show_default=True,
    help="Requests handled at once.",
)
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Access and server log lines on stderr: text or JSON.",
)
@click.option("--no-access-log", is_flag=True, help="Do not log each request.")
@click.option(
    "--no-worker",
    is_flag=True,
    help="Do not run the webhook delivery worker in this process. Accepted for "
    "forward compatibility: the webhook worker arrives later.",
)
def serve(
    db: str | None,
    memory: bool,
    host: str,
    port: int,
    threads: int,
    log_format: str,
    no_access_log: bool,
    no_worker: bool,
) -> None:
    """Serve the HTTP API, creating or migrating the database first.

    Prints `TalentOS listening on http://HOST:PORT` once it accepts connections. SIGTERM
    or Ctrl-C stops it gracefully: requests in flight are finished first.
    """
    settings = load_settings(db, memory)
    with contextlib.ExitStack() as cleanup:
        listener = listen(host, port)
        cleanup.callback(listener.close)  # a no-op once waitress has closed it
        url = base_url(listener)
        if settings.public_url is None:
            settings = attrs.evolve(settings, public_url=url)
        talentos = cleanup.enter_context(open_talentos(settings))
        app: WSGIApp = build_app(talentos)
        if not no_access_log:
            app = AccessLog(app, fmt=log_format)
        cleanup.enter_context(server_logging(log_format))
        server = GracefulServer(app, [listener], threads=threads, trust_proxy=settings.trust_proxy)
        cleanup.callback(server.close)
        with stop_on_signals(server.request_stop):
            announce(url, demo_hint(talentos))
            server.run()
    click.echo("TalentOS stopped", err=True)


def build_app(talentos: TalentOS) -> WSGIApp:
    """The Falcon application over ``talentos``."""
    from talentos_http import create_app  # the web layer is only loaded to serve

    app: WSGIApp = create_app(talentos)
    return app


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (not yet listening), so the real port is known early."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (socket.gaierror, UnicodeError) as error:
        raise CommandError(f"cannot listen on {host}:{port}: {describe(error)}") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
    except OSError as error:
        sock.close()
        raise CommandError(f"cannot listen on {host}:{port}: {describe(error)}") from None
    return sock


def base_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def announce(url: str, hint: str | None = None) -> None:
    """The first stdout line is the address (scripts and tests read it); then how to begin."""
    click.echo(f"TalentOS listening on {url}")
    click.echo(
        "Create a company and its first admin:\n"
        f"  curl -X POST {url}/api/auth/signup -H 'Content-Type: application/json' \\\n"
        """    -d '{"companyName": "Acme Bank", "adminName": "Jane Doe", """
        """"adminEmail": "jane@example.com", "password": "a long passphrase"}'\n"""
        f"API reference: {url}/docs"
    )
    if hint:
        click.echo(hint)
    click.echo("Stop with Ctrl-C.")
    sys.stdout.flush()


def demo_hint(talentos: TalentOS) -> str | None:
    """On an empty database: how to load the demo company (None once a tenant exists)."""
    if talentos.store.reader().tenants.all_ids():
        return None
    if talentos.settings.uses_memory:
        return "The memory backend starts empty; `talentos demo` fills a database file."
    return (
        "The database is empty. To explore with sample data, run in another terminal:\n"
        f"  talentos demo --db {talentos.settings.db}\n"
        "(a company with a team of every role, vacancies, candidates, offers, interviews)."
    )


@contextlib.contextmanager
def stop_on_signals(stop: Callable[[], None]) -> Iterator[None]:
    """Call ``stop`` on SIGTERM and SIGINT while inside; restore the old handlers after."""
    previous = {
        signum: signal.signal(signum, lambda _signum, _frame: stop())
        for signum in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class GracefulServer:
    """waitress on given, bound sockets, with its event loop in our hands so it can drain.

    :meth:`run` serves until :meth:`request_stop` (safe from a signal handler or another
    thread); a second stop request ends the draining at once.
    """

    def __init__(
        self,
        app: WSGIApp,
        sockets: list[socket.socket],
        *,
        threads: int = 8,
        trust_proxy: bool = False,
        drain_seconds: float = DRAIN_SECONDS,
        say: Callable[[str], None] | None = None,
        **limits: Any,
    ) -> None:
        self._map: dict[int, Any] = {}
        self._stop_requested = False
        self._draining = False
        self._hurry = False
        self._closed = False
        self.drain_seconds = drain_seconds
        self._say = say or (lambda text: click.echo(text, err=True))
        # Without TALENTOS_TRUST_PROXY, waitress drops X-Forwarded-* so nobody can spoof them;
        # with it, they reach the application, which takes the client address from them.
        options = {**SERVER_LIMITS, "clear_untrusted_proxy_headers": not trust_proxy, **limits}
        self.server = create_server(app, map=self._map, sockets=sockets, threads=threads, **options)
        channel_class = _closing_channel(lambda: self._draining)
        for listener in self._listeners():
            listener.channel_class = channel_class

    def _listeners(self) -> list[BaseWSGIServer]:
        return [item for item in self._map.values() if isinstance(item, BaseWSGIServer)]

    def _channels(self) -> list[HTTPChannel]:
        return [item for item in self._map.values() if isinstance(item, HTTPChannel)]

    def request_stop(self) -> None:
        """Begin stopping (or, when already stopping, stop waiting for requests)."""
        if self._stop_requested:
            self._hurry = True
        self._stop_requested = True
        if not self._closed:
            # Wake the event loop; a pipe write is safe inside a signal handler.
            with contextlib.suppress(OSError):
                self.server.pull_trigger()

    def run(self) -> None:
        poll = self.server.adj.asyncore_loop_timeout
        try:
            while not self._stop_requested:
                wasyncore.loop(timeout=poll, map=self._map, use_poll=True, count=1)
            self._drain()
        finally:
            self.close()

    def close(self) -> None:
        """Stop the worker threads and close every socket and pipe (again: does nothing)."""
        if self._closed:
            return
        self._closed = True
        self.server.task_dispatcher.shutdown()
        wasyncore.close_all(self._map)

    def _drain(self) -> None:
        self._draining = True
        for listener in self._listeners():
            # dispatcher.close, not listener.close: the latter also closes the wake-up pipe.
            listener.accepting = False
            wasyncore.dispatcher.close(listener)
        # Take in what has already arrived before deciding which connections are idle.
        wasyncore.loop(timeout=0, map=self._map, use_poll=True, count=1)
        busy = self._close_idle()
        self._say(f"TalentOS stopping: no new connections; finishing {busy} open request(s)")
        deadline = time.monotonic() + self.drain_seconds
        while busy and not self._hurry:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._say(f"TalentOS stopping: gave up waiting for {busy} request(s)")
                return
            wasyncore.loop(timeout=min(remaining, 0.5), map=self._map, use_poll=True, count=1)
            busy = self._close_idle()

    def _close_idle(self) -> int:
        """Close connections with nothing to do; count the rest."""
        busy = 0
        for channel in self._channels():
            if channel.requests or channel.request is not None or channel.total_outbufs_len:
                busy += 1
            else:
                channel.handle_close()
        return busy


def _closing_channel(draining: Callable[[], bool]) -> type[HTTPChannel]:
    """A waitress channel whose responses say ``Connection: close`` once draining began."""

    class ClosingTask(WSGITask):  # type: ignore[misc]  # waitress has no type hints
        def build_response_header(self) -> bytes:
            if draining():
                self.set_close_on_finish()
            header: bytes = super().build_response_header()
            return header

    class ClosingChannel(HTTPChannel):  # type: ignore[misc]  # waitress has no type hints
        task_class = ClosingTask

    return ClosingChannel


@contextlib.contextmanager
def server_logging(fmt: str) -> Iterator[None]:
    """Send waitress's own warnings and errors to stderr, in the access log's format."""
    logger = logging.getLogger("waitress")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        _JSONFormatter()
        if fmt == "json"
        else logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s")
    )
    saved = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


class _JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        document = {
            "ts": self.formatTime(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            document["exc"] = self.formatException(record.exc_info)
        return json.dumps(document, separators=(",", ":"))
