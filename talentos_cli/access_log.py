"""One line per request on stderr, as text or JSON: a small WSGI middleware.

A line is written when the response has been sent (the server closes its body), so the
milliseconds include streaming. The path is logged without its query string (which may
carry tokens) and percent-encoded, so a request cannot forge log lines.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import IO, Any
from urllib.parse import quote

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

#: Characters left as they are in logged paths and request ids; everything else is %XX.
_SAFE = "/:@!$&'()*+,;=-._~"


class AccessLog:
    """Wrap ``app`` so that every request writes one line to ``stream`` (``text`` or ``json``).

    The request id is the one the application put in its ``X-Request-Id`` response header.
    """

    def __init__(self, app: WSGIApp, stream: IO[str] | None = None, fmt: str = "text") -> None:
        if fmt not in ("text", "json"):
            raise ValueError(f"unknown log format {fmt!r}")
        self.app = app
        self.stream = stream
        self.fmt = fmt
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        started = time.perf_counter()
        seen: dict[str, Any] = {"status": 500, "request_id": None}

        def recording_start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            seen["status"] = _status_code(status)
            seen["request_id"] = next(
                (value for name, value in headers if name.lower() == "x-request-id"), None
            )
            return start_response(status, headers, exc_info)

        def log() -> None:
            elapsed = (time.perf_counter() - started) * 1000
            self.write(environ, seen["status"], elapsed, seen["request_id"])

        try:
            body = self.app(environ, recording_start_response)
        except BaseException:
            log()  # the server answers 500 for an exception that escapes the app
            raise
        file_wrapper = environ.get("wsgi.file_wrapper")
        if isinstance(file_wrapper, type) and isinstance(body, file_wrapper):
            # Keep the server's fast path for files: wrap its close() in place.
            _chain_close(body, log)
            return body
        if hasattr(body, "__len__"):
            return _LoggedSizedBody(body, log)
        return _LoggedBody(body, log)

    def write(
        self, environ: dict[str, Any], status: int, ms: float, request_id: str | None
    ) -> None:
        method = _clean(environ.get("REQUEST_METHOD", "-"))
        path = _clean(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")) or "/"
        rid = _clean(request_id) if request_id else None
        now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        if self.fmt == "json":
            line = json.dumps(
                {
                    "ts": now,
                    "method": method,
                    "path": path,
                    "status": status,
                    "ms": round(ms, 2),
                    "requestId": rid,
                },
                separators=(",", ":"),
            )
        else:
            line = f"{now} {method} {path} {status} {ms:.2f}ms request_id={rid or '-'}"
        stream = self.stream or sys.stderr
        with self._lock:
            stream.write(line + "\n")
            stream.flush()


class _LoggedBody:
    """The application's body, passed through, that logs once when the server closes it."""

    def __init__(self, body: Iterable[bytes], on_close: Callable[[], None]) -> None:
        self._body = body
        self._on_close = on_close

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._body)

    def close(self) -> None:
        try:
            close = getattr(self._body, "close", None)
            if close is not None:
                close()
        finally:
            self._on_close()


class _LoggedSizedBody(_LoggedBody):
    """A body of known length (a list): the server may take Content-Length from it."""

    def __len__(self) -> int:
        return len(self._body)  # type: ignore[arg-type]  # only built for sized bodies


def _chain_close(body: Any, then: Callable[[], None]) -> None:
    original = body.close

    def close() -> None:
        try:
            original()
        finally:
            then()

    body.close = close


def _status_code(status: str) -> int:
    try:
        return int(status[:3])
    except ValueError:
        return 0


def _clean(text: str) -> str:
    """WSGI strings are bytes decoded as latin-1: show them as UTF-8, percent-encoded."""
    raw = text.encode("latin-1", "replace")
    return quote(raw, safe=_SAFE)
