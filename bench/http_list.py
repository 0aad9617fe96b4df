"""HTTP list benchmark: ``GET /api/vacancies?limit=20`` against a bare Falcon ceiling.

Starts, on one SQLite file seeded with a tenant of 200 vacancies:

* ``ceiling``: a bare Falcon app answering a constant 20-item JSON list (``resp.media``);
* ``minimal``: a hand-written Falcon endpoint doing the same work as the real one with raw
  ``sqlite3`` and ``json`` (session lookup by SHA-256, the count and the page query);
* ``cookie`` / ``bearer``: the real server (``talentos serve``) with a session cookie and
  with an API key.

All servers run under the same waitress settings, pinned to one CPU with ``taskset``; ``wrk``
loads them from the other CPU for a fixed time at each concurrency, the targets alternating
round after round. The medians are printed with their ratios, then one PASS/FAIL line per
requirement; the exit status is 1 when a requirement fails. Everything started is stopped
on the way out. See bench/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
VACANCIES = 200
LIMIT = 20
PATH = f"/api/vacancies?limit={LIMIT}"
READY_TIMEOUT = 60.0
SEED_PASSWORD = "bench-password-1234"

LEVELS = ("junior", "mid", "senior", "lead")
TYPES = ("full_time", "part_time", "contract")
CITIES = ("Berlin", "Lisbon", "Remote", "Toronto", "Nairobi")


def waitress_options(threads: int) -> dict[str, Any]:
    """The waitress settings every server of the bench runs with: those of ``talentos serve``."""
    try:
        from talentos_cli.serve import SERVER_LIMITS
    except ImportError:  # the CLI is not there yet: waitress's defaults for all
        SERVER_LIMITS = {}
    return {**SERVER_LIMITS, "clear_untrusted_proxy_headers": True, "threads": threads}


def new_vacancy(number: int) -> dict[str, Any]:
    """The body of the ``number``-th seeded vacancy (also the shape of the ceiling's items)."""
    return {
        "title": f"Software Engineer {number}",
        "description": f"Build and run the platform, team {number % 7}. " * 4,
        "location": CITIES[number % len(CITIES)],
        "level": LEVELS[number % len(LEVELS)],
        "employmentType": TYPES[number % len(TYPES)],
        "skills": ["python", "sql", "http"][: 1 + number % 3],
        "status": "open",
    }


# -- the servers (each runs in its own process: ``http_list.py _serve KIND ...``) -------------


def bare_app() -> Any:
    """The ceiling: a constant 20-item list, encoded per request by Falcon's defaults."""
    import falcon

    now = datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    items = [
        {
            "id": f"vac_{number:020d}",
            "tenantId": "bench",
            **new_vacancy(number),
            "createdAt": now,
            "updatedAt": now,
            "subsidiaryId": None,
            "internalNotes": None,
            "applicants": 0,
            "hired": 0,
            "createdBy": "usr_00000000000000000000",
        }
        for number in range(LIMIT)
    ]
    body = {"ok": True, "vacancies": items, "total": VACANCIES, "limit": LIMIT, "offset": 0}

    class Constant:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = body

    app = falcon.App()
    app.add_route("/api/vacancies", Constant())
    return app


_COLUMNS = (
    "id",
    "tenant_id",
    "title",
    "created_at",
    "updated_at",
    "description",
    "location",
    "level",
    "employment_type",
    "skills",
    "status",
    "subsidiary_id",
    "internal_notes",
    "applicants",
    "hired",
    "created_by",
)


def minimal_app(db: str) -> Any:
    """The same lookup and query as the real endpoint, hand-written with sqlite3 and json."""
    import sqlite3

    import falcon

    local = threading.local()
    names = [(column, _camel(column)) for column in _COLUMNS]
    select = ", ".join(_COLUMNS)

    def connection() -> sqlite3.Connection:
        found = getattr(local, "connection", None)
        if found is None:
            found = sqlite3.connect(db, isolation_level=None, check_same_thread=False, timeout=10)
            found.execute("PRAGMA journal_mode = WAL")
            found.execute("PRAGMA synchronous = FULL")
            found.execute("PRAGMA busy_timeout = 10000")
            local.connection = found
        return found

    class Vacancies:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            values = req.get_cookie_values("talentos_sid")
            if not values:
                raise falcon.HTTPUnauthorized()
            c = connection()
            token_hash = hashlib.sha256(values[0].encode()).hexdigest()
            session = c.execute(
                "SELECT user_id, expires_at FROM sessions WHERE token_hash = ?", (token_hash,)
            ).fetchone()
            now = datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
            if session is None or session[1] <= now:
                raise falcon.HTTPUnauthorized()
            user = c.execute(
                "SELECT tenant_id, status FROM users WHERE id = ?", (session[0],)
            ).fetchone()
            if user is None or user[1] != "active":
                raise falcon.HTTPUnauthorized()
            limit = min(int(req.get_param("limit") or 50), 200)
            offset = int(req.get_param("offset") or 0)
            total = c.execute(
                "SELECT COUNT(*) FROM vacancies WHERE tenant_id = ?", (user[0],)
            ).fetchone()[0]
            rows = c.execute(
                f"SELECT {select} FROM vacancies WHERE tenant_id = ? "
                "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                (user[0], limit, offset),
            ).fetchall()
            items = []
            for row in rows:
                item = {api: value for (_, api), value in zip(names, row, strict=True)}
                item["skills"] = json.loads(item["skills"])
                items.append(item)
            body = {
                "ok": True,
                "vacancies": items,
                "total": total,
                "limit": limit,
                "offset": offset,
            }
            resp.content_type = falcon.MEDIA_JSON
            resp.data = json.dumps(body).encode()

    app = falcon.App()
    app.add_route("/api/vacancies", Vacancies())
    return app


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def real_app(db: str) -> Any:
    """The real app, built as ``talentos serve`` builds it (fallback when the CLI is absent)."""
    from talentos_core import TalentOS
    from talentos_core.settings import Settings
    from talentos_http import create_app

    settings = Settings.from_env({"TALENTOS_DB": db, **_argon2_env()})
    return create_app(TalentOS.open(settings))


def serve(kind: str, port: int, threads: int, db: str) -> None:
    """Serve one of the apps as ``talentos serve`` does (its own server class when present)."""
    import waitress

    builders = {"bare": bare_app, "minimal": lambda: minimal_app(db), "real": lambda: real_app(db)}
    app = builders[kind]()
    print(f"{kind} listening on http://{HOST}:{port}", flush=True)
    try:
        from talentos_cli.serve import GracefulServer, listen
    except ImportError:
        waitress.serve(app, host=HOST, port=port, **waitress_options(threads))
        return
    GracefulServer(app, [listen(HOST, port)], threads=threads).run()


# -- processes -----------------------------------------------------------------------------


class Server:
    def __init__(self, name: str, argv: list[str], port: int, log: Path) -> None:
        self.name, self.port, self.log = name, port, log
        self.argv = argv
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, cpu: int | None) -> None:
        argv = ["taskset", "-c", str(cpu), *self.argv] if cpu is not None else self.argv
        # The checkout first on the path: the servers import this tree's packages even when
        # an older editable install registered one of them as a namespace package.
        path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, **_argon2_env(), "PYTHONUNBUFFERED": "1", "PYTHONPATH": path}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                env=env,
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


def _argon2_env() -> dict[str, str]:
    # Only signup hashes a password here; the cheapest allowed cost keeps seeding quick.
    return {"TALENTOS_ARGON2": os.environ.get("TALENTOS_ARGON2", "2,19456,1")}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def cli_serves() -> bool:
    """Whether ``talentos serve`` exists (and answers ``--help``) in this environment."""
    talentos = ROOT / ".venv" / "bin" / "talentos"
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


# -- HTTP client for seeding and checks -----------------------------------------------------


def request(
    port: int, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], Any]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
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


def seed(port: int) -> tuple[str, str]:
    """Sign a tenant up, create its vacancies and an API key: (session token, raw key)."""
    status, headers, answer = request(
        port,
        "POST",
        "/api/auth/signup",
        {
            "companyName": "Bench Corp",
            "adminName": "Bench Admin",
            "adminEmail": "admin@bench.example",
            "password": SEED_PASSWORD,
        },
    )
    if status != 201:
        raise SystemExit(f"signup answered {status}: {answer}")
    found = re.search(r"talentos_sid=([^;]+)", headers.get("set-cookie", ""))
    if found is None:
        raise SystemExit("signup set no talentos_sid cookie")
    token = found.group(1)
    cookie = {"Cookie": f"talentos_sid={token}"}
    for number in range(VACANCIES):
        status, _, answer = request(port, "POST", "/api/vacancies", new_vacancy(number), cookie)
        if status != 201:
            raise SystemExit(f"creating a vacancy answered {status}: {answer}")
    status, _, answer = request(port, "POST", "/api/tenants/me/api-keys", {"name": "bench"}, cookie)
    if status != 201:
        raise SystemExit(f"creating an API key answered {status}: {answer}")
    return token, answer["rawToken"]


def check_target(port: int, headers: dict[str, str], name: str) -> None:
    status, _, answer = request(port, "GET", PATH, headers=headers)
    items = (answer or {}).get("vacancies") or []
    if status != 200 or len(items) != LIMIT or answer.get("total") != VACANCIES:
        raise SystemExit(f"{name}: GET {PATH} answered {status} with {len(items)} items")


# -- wrk -------------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def wrk(
    port: int, headers: dict[str, str], connections: int, seconds: float, cpu: int | None
) -> dict[str, float]:
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    argv.append(f"http://{HOST}:{port}{PATH}")
    if cpu is not None:
        argv = ["taskset", "-c", str(cpu), *argv]
    with _group(argv) as process:
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
def _group(argv: list[str]) -> Iterator[subprocess.Popen[bytes]]:
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per target")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (median)")
    parser.add_argument("--concurrency", default="1,16", help="comma-separated connections")
    parser.add_argument("--threads", type=int, default=4, help="waitress threads per server")
    parser.add_argument("--server-cpu", type=int, default=0, help="CPU the servers run on")
    parser.add_argument("--client-cpu", type=int, default=1, help="CPU wrk runs on")
    parser.add_argument("--no-pin", action="store_true", help="do not use taskset")
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="serve the real app from this script, not `talentos serve`",
    )
    parser.add_argument("--json", action="store_true", help="also print the results as JSON")
    args = parser.parse_args(argv)
    concurrencies = [int(n) for n in args.concurrency.split(",")]
    server_cpu = None if args.no_pin else args.server_cpu
    client_cpu = None if args.no_pin else args.client_cpu
    for tool in ("wrk", *(() if args.no_pin else ("taskset",))):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (apt-get install wrk util-linux)")

    # A SIGTERM unwinds like Ctrl-C, so the servers and wrk are stopped on the way out.
    signal.signal(signal.SIGTERM, _terminate)
    busy = os.getloadavg()[0]
    if busy > 0.5:
        print(
            f"warning: load average {busy:.1f} before starting: other work on this machine "
            "skews the figures",
            flush=True,
        )
    with tempfile.TemporaryDirectory(prefix="talentos-bench-") as work:
        workdir = Path(work)
        db = str(workdir / "bench.db")
        servers: dict[str, Server] = {}
        try:
            use_cli = not args.in_process and cli_serves()
            servers = start_servers(workdir, db, args.threads, use_cli, server_cpu)
            token, key = seed(servers["real"].port)
            targets = {
                "ceiling": (servers["bare"].port, {}),
                "minimal": (servers["minimal"].port, {"Cookie": f"talentos_sid={token}"}),
                "cookie": (servers["real"].port, {"Cookie": f"talentos_sid={token}"}),
                "bearer": (servers["real"].port, {"Authorization": f"Bearer {key}"}),
            }
            for name, (port, headers) in targets.items():
                if name != "ceiling":
                    check_target(port, headers, name)
            print(
                f"real server: {'talentos serve' if use_cli else 'in-process fallback'}; "
                f"waitress {waitress_options(args.threads)}; servers on CPU {server_cpu}, "
                f"wrk on CPU {client_cpu}; {args.rounds} rounds x {args.duration:g}s",
                flush=True,
            )
            results = measure(targets, concurrencies, args, client_cpu)
        finally:
            for server in servers.values():
                server.stop()
    return report(results, concurrencies, args.json)


def _terminate(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)


def start_servers(
    workdir: Path, db: str, threads: int, use_cli: bool, cpu: int | None
) -> dict[str, Server]:
    me = [sys.executable, str(Path(__file__).resolve()), "_serve"]
    servers: dict[str, Server] = {}
    try:
        port = free_port()
        if use_cli:
            real = [
                str(ROOT / ".venv" / "bin" / "talentos"),
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
        else:
            real = [*me, "real", str(port), str(threads), db]
        servers["real"] = Server("real", real, port, workdir / "real.log")
        servers["real"].start(cpu)
        servers["real"].wait_ready()  # creates and migrates the database
        for kind, name in (("bare", "bare"), ("minimal", "minimal")):
            port = free_port()
            servers[name] = Server(
                name, [*me, kind, str(port), str(threads), db], port, workdir / f"{name}.log"
            )
            servers[name].start(cpu)
        for server in servers.values():
            server.wait_ready()
    except BaseException:
        for server in servers.values():
            server.stop()
        raise
    return servers


def measure(
    targets: dict[str, tuple[int, dict[str, str]]],
    concurrencies: list[int],
    args: argparse.Namespace,
    cpu: int | None,
) -> dict[tuple[str, int], list[dict[str, float]]]:
    results: dict[tuple[str, int], list[dict[str, float]]] = {}
    names = list(targets)
    for name, (port, headers) in targets.items():
        if args.warmup > 0:
            wrk(port, headers, max(concurrencies), args.warmup, cpu)
        print(f"warmed up {name}", flush=True)
    for round_number in range(args.rounds):
        order = names if round_number % 2 == 0 else names[::-1]
        for connections in concurrencies:
            for name in order:
                port, headers = targets[name]
                figures = wrk(port, headers, connections, args.duration, cpu)
                results.setdefault((name, connections), []).append(figures)
                print(
                    f"round {round_number + 1} c={connections:<3} {name:<8} "
                    f"{figures['rps']:9.1f} req/s  p50 {figures['p50']:7.2f} ms  "
                    f"p99 {figures['p99']:7.2f} ms",
                    flush=True,
                )
    return results


def report(
    results: dict[tuple[str, int], list[dict[str, float]]], concurrencies: list[int], as_json: bool
) -> int:
    median: dict[tuple[str, int], dict[str, float]] = {
        key: {k: statistics.median(run[k] for run in runs) for k in ("rps", "p50", "p99")}
        for key, runs in results.items()
    }
    print()
    print(f"GET {PATH}, medians")
    print(
        f"{'target':<10}{'conc':>5}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'÷ceiling':>10}{'÷minimal':>10}"
    )
    for connections in concurrencies:
        ceiling = median[("ceiling", connections)]["rps"]
        minimal = median[("minimal", connections)]["rps"]
        for name in ("ceiling", "minimal", "cookie", "bearer"):
            m = median[(name, connections)]
            print(
                f"{name:<10}{connections:>5}{m['rps']:>10.0f}{m['p50']:>9.2f}{m['p99']:>9.2f}"
                f"{m['rps'] / ceiling:>10.2f}{m['rps'] / minimal:>10.2f}"
            )
    print()
    top = 16 if 16 in concurrencies else max(concurrencies)
    requirements = [("bearer", "cookie", c, 0.9) for c in concurrencies]
    requirements.append(("cookie", "ceiling", top, 0.25))
    failed = 0
    for name, base, connections, needed in requirements:
        # Each round measured the two targets back to back: the ratio within a round is
        # less exposed to drift on the machine than a ratio of medians over the whole run.
        paired = [
            run["rps"] / other["rps"]
            for run, other in zip(
                results[(name, connections)], results[(base, connections)], strict=True
            )
        ]
        ratio = statistics.median(paired)
        ok = ratio >= needed
        failed += not ok
        rounds = ", ".join(f"{r:.2f}" for r in paired)
        print(
            f"{'PASS' if ok else 'FAIL'}  {name} >= {needed:g} x {base} at c={connections}: "
            f"{ratio:.3f} (median of rounds: {rounds})"
        )
    if as_json:
        print(json.dumps({f"{name}@{c}": m for (name, c), m in median.items()}, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_serve":
        kind, port, threads, db = sys.argv[2:6]
        serve(kind, int(port), int(threads), db)
    else:
        sys.exit(main())
