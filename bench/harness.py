"""What the benches share: servers in their own process groups, wrk, an HTTP client.

Everything started here runs in its own process group and is stopped (SIGTERM, then SIGKILL)
by its owner on the way out; every wait has a time limit.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
READY_TIMEOUT = 60.0
#: Only signup hashes a password in the benches; the cheapest allowed cost keeps seeding quick.
ARGON2 = "2,19456,1"


def waitress_options(threads: int) -> dict[str, Any]:
    """The waitress settings every server of the benches runs with: those of ``talentos serve``."""
    try:
        from talentos_cli.serve import SERVER_LIMITS
    except ImportError:  # the CLI is not there yet: waitress's defaults for all
        SERVER_LIMITS = {}
    return {**SERVER_LIMITS, "clear_untrusted_proxy_headers": True, "threads": threads}


def serve_app(app: Any, name: str, port: int, threads: int) -> None:
    """Serve ``app`` as ``talentos serve`` does (its own server class when present)."""
    import waitress

    print(f"{name} listening on http://{HOST}:{port}", flush=True)
    try:
        from talentos_cli.serve import GracefulServer, listen
    except ImportError:
        waitress.serve(app, host=HOST, port=port, **waitress_options(threads))
        return
    GracefulServer(app, [listen(HOST, port)], threads=threads).run()


def argon2_env() -> dict[str, str]:
    return {"TALENTOS_ARGON2": os.environ.get("TALENTOS_ARGON2", ARGON2)}


def talentos_command() -> str:
    return str(ROOT / ".venv" / "bin" / "talentos")


def cli_serves() -> bool:
    """Whether ``talentos serve`` exists (and answers ``--help``) in this environment."""
    talentos = Path(talentos_command())
    if not talentos.exists():
        return False
    try:
        done = subprocess.run(
            [str(talentos), "serve", "--help"], capture_output=True, timeout=30, check=False
        )
    except subprocess.TimeoutExpired:
        return False
    help_text = done.stdout.decode(errors="replace")
    return done.returncode == 0 and "--no-access-log" in help_text and "--threads" in help_text


def serve_command(db: str, port: int, threads: int) -> list[str]:
    """``talentos serve`` on ``db`` as the benches run it."""
    return [
        talentos_command(),
        "serve",
        "--db",
        db,
        "--port",
        str(port),
        "--threads",
        str(threads),
        "--no-access-log",
        "--no-worker",
    ]


def child_env() -> dict[str, str]:
    # The checkout first on the path: children import this tree's packages even when an
    # older editable install registered one of them as a namespace package.
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, **argon2_env(), "PYTHONUNBUFFERED": "1", "PYTHONPATH": path}


class Server:
    def __init__(self, name: str, argv: list[str], port: int, log: Path) -> None:
        self.name, self.port, self.log = name, port, log
        self.argv = argv
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, cpu: int | None) -> None:
        argv = ["taskset", "-c", str(cpu), *self.argv] if cpu is not None else self.argv
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                env=child_env(),
                cwd=self.log.parent,
            )

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited early:\n{self.log.read_text()[-3000:]}")
            with suppress(OSError), socket.create_connection((HOST, self.port), timeout=0.5):
                return
            time.sleep(0.1)
        raise SystemExit(f"{self.name} did not listen within {timeout:.0f}s")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        for sig, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
            with suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            try:
                process.wait(timeout=grace)
                return
            except subprocess.TimeoutExpired:
                continue


@contextmanager
def servers(
    specs: list[tuple[str, list[str], int]], workdir: Path, cpu: int | None
) -> Iterator[dict[str, Server]]:
    """Start ``(name, argv, port)`` servers one after the other, each listening before the
    next starts (the first may create and migrate the database); stop them all on the way
    out, whatever happens."""
    started: dict[str, Server] = {}
    try:
        for name, argv, port in specs:
            server = Server(name, argv, port, workdir / f"{name}.log")
            started[name] = server
            server.start(cpu)
            server.wait_ready()
        yield started
    finally:
        for server in started.values():
            server.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def request(
    port: int, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], Any]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        data = None if body is None else json.dumps(body).encode()
        sent = {"Content-Type": "application/json"} if data is not None else {}
        connection.request(method, path, body=data, headers={**sent, **(headers or {})})
        response = connection.getresponse()
        raw = response.read()
        answer = json.loads(raw) if raw else None
        return response.status, {k.lower(): v for k, v in response.getheaders()}, answer
    finally:
        connection.close()


# -- wrk -------------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def require_tools(pin: bool) -> None:
    for tool in ("wrk", *(("taskset",) if pin else ())):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (apt-get install wrk util-linux)")


def wrk(
    url: str, headers: dict[str, str], connections: int, seconds: float, cpu: int | None
) -> dict[str, float]:
    """One ``wrk -t1`` run: requests/s, p50 and p99 in ms. Stops the bench (SystemExit) when
    wrk saw a non-2xx answer or a socket error: the figures would mean nothing."""
    # wrk takes whole seconds.
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
    argv += ["--timeout", "10s"]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    argv.append(url)
    if cpu is not None:
        argv = ["taskset", "-c", str(cpu), *argv]
    with group(argv) as process:
        try:
            out, _ = process.communicate(timeout=seconds + 60)
        except subprocess.TimeoutExpired:
            raise SystemExit("wrk did not finish in time") from None
    text = out.decode(errors="replace")
    if process.returncode != 0:
        raise SystemExit(f"wrk failed ({process.returncode}):\n{text}")
    return parse_wrk(text)


def parse_wrk(text: str) -> dict[str, float]:
    rps = re.search(r"Requests/sec:\s+([0-9.]+)", text)
    p50 = re.search(r"^\s+50%\s+([0-9.]+)(us|ms|s|m)\s*$", text, re.M)
    p99 = re.search(r"^\s+99%\s+([0-9.]+)(us|ms|s|m)\s*$", text, re.M)
    if not (rps and p50 and p99):
        raise SystemExit(f"cannot read wrk's output:\n{text}")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    if bad or (errors and any(int(n) for n in errors.groups())):
        raise SystemExit(f"wrk saw failed requests:\n{text}")
    return {
        "rps": float(rps.group(1)),
        "p50": float(p50.group(1)) * _UNITS[p50.group(2)],
        "p99": float(p99.group(1)) * _UNITS[p99.group(2)],
    }


@contextmanager
def group(argv: list[str]) -> Iterator[subprocess.Popen[bytes]]:
    """A child in its own process group, killed (with its group) if still running at exit."""
    process = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)


# -- the run -------------------------------------------------------------------------------


def on_sigterm_unwind() -> None:
    """A SIGTERM unwinds like Ctrl-C, so whatever was started is stopped on the way out."""

    def terminate(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)


def warn_if_busy() -> None:
    busy = os.getloadavg()[0]
    if busy > 0.5:
        print(
            f"warning: load average {busy:.1f} before starting: other work on this machine "
            "skews the figures",
            flush=True,
        )


def dispatch_serve(builders: dict[str, Callable[[str], Any]]) -> bool:
    """``script.py _serve KIND PORT THREADS DB``: serve ``builders[KIND](DB)``; True if so."""
    if len(sys.argv) < 2 or sys.argv[1] != "_serve":
        return False
    kind, port, threads, db = sys.argv[2:6]
    serve_app(builders[kind](db), kind, int(port), int(threads))
    return True


def cpu_per_call(calls: dict[str, Callable[[], Any]], rounds: int = 25) -> dict[str, float]:
    """CPU seconds per call of each function (``time.process_time``), the best of ``rounds``
    bursts, the functions taking turns burst by burst so that a busy spell hits them alike.
    Other processes' load changes CPU time far less than it changes wall time."""
    sizes = {}
    for name, call in calls.items():
        call()
        started = time.process_time()
        call()
        single = max(time.process_time() - started, 1e-5)
        sizes[name] = max(1, min(200, int(0.02 / single)))
    best = dict.fromkeys(calls, float("inf"))
    for _ in range(rounds):
        for name, call in calls.items():
            count = sizes[name]
            started = time.process_time()
            for _ in range(count):
                call()
            best[name] = min(best[name], (time.process_time() - started) / count)
    return best
