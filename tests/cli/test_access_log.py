"""The access-log middleware, driven directly as a WSGI application."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest

from talentos_cli.access_log import AccessLog

TEXT_LINE = re.compile(
    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (?P<method>\S+) (?P<path>\S+) (?P<status>\d{3}) "
    r"(?P<ms>\d+\.\d\d)ms request_id=(?P<rid>\S+)"
)


def environ(path: str = "/api/health", query: str = "", method: str = "GET") -> dict[str, Any]:
    env: dict[str, Any] = {"PATH_INFO": path, "QUERY_STRING": query, "REQUEST_METHOD": method}
    setup_testing_defaults(env)
    return env


def app(status: str = "201 Created", request_id: str | None = "req-123") -> Callable[..., Any]:
    def application(env: dict[str, Any], start_response: Any) -> list[bytes]:
        headers = [("Content-Type", "text/plain")]
        if request_id:
            headers.append(("X-Request-Id", request_id))
        start_response(status, headers)
        return [b"hello"]

    return application


def call(middleware: AccessLog, env: dict[str, Any]) -> tuple[Any, list[str]]:
    started: list[str] = []
    body = middleware(env, lambda status, headers, exc_info=None: started.append(status))
    return body, started


def consume(body: Any) -> bytes:
    try:
        return b"".join(body)
    finally:
        body.close()


class TestTextLines:
    def test_one_line_with_method_path_status_ms_and_request_id(self):
        """A request gives one line with the method, path, status, milliseconds and request id."""
        stream = io.StringIO()
        body, _ = call(AccessLog(app(), stream), environ("/api/vacancies", method="POST"))
        consume(body)

        [line] = stream.getvalue().splitlines()
        match = TEXT_LINE.fullmatch(line)
        assert match is not None, line
        assert (match["method"], match["path"], match["status"], match["rid"]) == (
            "POST",
            "/api/vacancies",
            "201",
            "req-123",
        )

    def test_the_query_string_is_left_out(self):
        """Query strings may carry tokens: they never reach the log."""
        stream = io.StringIO()
        consume(call(AccessLog(app(), stream), environ("/verify-email", "token=s3cret"))[0])

        assert "s3cret" not in stream.getvalue()
        assert " /verify-email " in stream.getvalue()

    def test_the_line_is_written_when_the_body_is_closed(self):
        """The server closes the body after sending it; only then is the request logged."""
        stream = io.StringIO()
        body, _ = call(AccessLog(app(), stream), environ())

        assert b"".join(body) == b"hello"
        assert stream.getvalue() == ""
        body.close()
        assert len(stream.getvalue().splitlines()) == 1

    def test_a_path_cannot_forge_a_second_line(self):
        """Control characters in the decoded path are percent-encoded."""
        stream = io.StringIO()
        path = "/api/x\n2026-01-01T00:00:00.000Z GET /admin 200 1.00ms request_id=x"
        consume(call(AccessLog(app(), stream), environ(path))[0])

        [line] = stream.getvalue().splitlines()
        assert "/api/x%0A2026" in line

    def test_a_missing_request_id_is_a_dash(self):
        """A response without X-Request-Id is logged with `request_id=-`."""
        stream = io.StringIO()
        consume(call(AccessLog(app(request_id=None), stream), environ())[0])

        assert stream.getvalue().rstrip().endswith(" request_id=-")

    def test_an_exception_in_the_app_is_logged_as_500_and_raised(self):
        """If the app raises, the line says 500 (what the server answers) and the error goes on."""

        def broken(env: dict[str, Any], start_response: Any) -> list[bytes]:
            raise RuntimeError("boom")

        stream = io.StringIO()
        with pytest.raises(RuntimeError, match="boom"):
            call(AccessLog(broken, stream), environ())
        assert " 500 " in stream.getvalue()


class TestJSONLines:
    def test_each_line_is_a_json_object(self):
        """--log-format json writes one JSON object per request with the same facts."""
        stream = io.StringIO()
        consume(call(AccessLog(app("404 Not Found"), stream, "json"), environ("/api/nope"))[0])

        record = json.loads(stream.getvalue())
        assert {key: record[key] for key in ("method", "path", "status", "requestId")} == {
            "method": "GET",
            "path": "/api/nope",
            "status": 404,
            "requestId": "req-123",
        }
        assert isinstance(record["ms"], float) and record["ms"] >= 0

    def test_an_unknown_format_is_refused(self):
        """Only text and json exist."""
        with pytest.raises(ValueError, match="xml"):
            AccessLog(app(), io.StringIO(), "xml")


class TestBodyPassThrough:
    def test_a_list_body_keeps_its_length(self):
        """The server may size a one-chunk body from len(); the wrapper keeps len()."""
        body, _ = call(AccessLog(app(), io.StringIO()), environ())

        assert len(body) == 1
        body.close()

    def test_a_generator_body_has_no_length_and_is_closed(self):
        """A streaming body is passed through lazily and its own close() is called."""
        closed: list[bool] = []

        def streaming(env: dict[str, Any], start_response: Any) -> Iterator[bytes]:
            start_response("200 OK", [])
            try:
                yield b"a"
                yield b"b"
            finally:
                closed.append(True)

        body, _ = call(AccessLog(streaming, io.StringIO()), environ())

        assert not hasattr(body, "__len__")
        assert consume(body) == b"ab"
        assert closed == [True]

    def test_a_file_wrapper_is_returned_as_is_and_logged_on_close(self):
        """The server's file_wrapper object is kept (its fast path), and still logged."""

        class FileWrapper:
            def __init__(self, data: bytes) -> None:
                self.data, self.closed = data, False

            def __iter__(self) -> Iterator[bytes]:
                yield self.data

            def close(self) -> None:
                self.closed = True

        def sending_a_file(env: dict[str, Any], start_response: Any) -> Any:
            start_response("200 OK", [("X-Request-Id", "file-1")])
            return env["wsgi.file_wrapper"](b"bytes")

        stream = io.StringIO()
        env = {**environ(), "wsgi.file_wrapper": FileWrapper}
        body, _ = call(AccessLog(sending_a_file, stream), env)

        assert isinstance(body, FileWrapper)
        body.close()
        assert body.closed
        assert "request_id=file-1" in stream.getvalue()
