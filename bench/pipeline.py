"""Pipeline benchmark: the candidate list at 1,000 and 100,000 candidates, the import, and the
CLI import's memory.

For each size, a SQLite tenant of that many candidates over 200 vacancies (``seeding.py``),
then:

1. ``GET /api/candidates`` filtered by stage, by vacancy (``jobId``) and by a skill (``q``),
   50 a page, through the real server (``talentos serve``) and through a hand-written
   endpoint on the same file (``minimal.py``), both pinned to one CPU with ``taskset`` and
   loaded by ``wrk -c1`` from the other, alternating round after round: p50 and p99.
   Requirement: the real p50 at most 1.5 x the hand-written one.
   The same requests are also timed inside this process (both apps called as WSGI
   functions, CPU time per call, best of many interleaved bursts), which other work on the
   machine disturbs far less.
2. An import of 500 new rows through ``CandidateService.import_rows`` against the same rows
   written with raw ``executemany`` into the same tables in one transaction (the search
   index filled by its triggers, an outbox row each, the vacancy counters): CPU time, best
   of several. Requirement: the service at most 5 x raw.

Then ``talentos import candidates`` of a 100,000-row CSV in a child process, its peak RSS
read with ``getrusage``. Requirement: under 150 MB.

Prints the figures, the ratios and one PASS/FAIL line per requirement; the exit status is
1 when one fails. Everything started is stopped on the way out. See bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import harness
import minimal
import seeding
from harness import HOST, request

SIZES = "1000,100000"
SKILL = "python"
QUERIES = {
    "stage": "/api/candidates?stage=interview&limit=50",
    "jobId": "/api/candidates?jobId={vacancy}&limit=50",
    "q": f"/api/candidates?q={SKILL}&limit=50",
}
LATENCY_RATIO = 1.5
IMPORT_ROWS = 500
IMPORT_RATIO = 5.0
CLI_ROWS = 100_000
CLI_RSS_MB = 150


def hand_app(db: str) -> Any:
    return minimal.app(db)


# -- 1. the list ---------------------------------------------------------------------------


def in_process(db: str, token: str, paths: dict[str, str], rounds: int) -> dict[str, Any]:
    """CPU time per request of each query, real app and hand-written, called in-process."""
    from falcon import testing

    from talentos_core import TalentOS
    from talentos_http import create_app

    figures: dict[str, Any] = {}
    with TalentOS.open(seeding.settings_for(db)) as talentos:
        apps = {"real": create_app(talentos), "hand": minimal.app(db)}
        for name, path in paths.items():
            route, _, query = path.partition("?")
            environ = testing.create_environ(
                path=route, query_string=query, headers={"Cookie": f"talentos_sid={token}"}
            )
            calls = {kind: _caller(app, environ) for kind, app in apps.items()}
            answers = {kind: json.loads(call()) for kind, call in calls.items()}
            if answers["real"] != answers["hand"]:
                raise SystemExit(f"{name}: the hand-written endpoint answers differently")
            best = harness.cpu_per_call(calls, rounds)
            figures[name] = {
                "real_us": best["real"] * 1e6,
                "hand_us": best["hand"] * 1e6,
                "total": answers["real"]["total"],
            }
    return figures


def _caller(app: Any, environ: dict[str, Any]) -> Any:
    def call() -> bytes:
        statuses: list[str] = []
        body = b"".join(app(dict(environ), lambda status, _headers: statuses.append(status)))
        if not statuses[0].startswith("200"):
            raise SystemExit(f"{environ['PATH_INFO']} answered {statuses[0]}: {body[:300]!r}")
        return body

    return call


def over_http(
    workdir: Path, db: str, token: str, paths: dict[str, str], args: argparse.Namespace
) -> dict[str, list[dict[str, float]]]:
    """wrk -c1 runs against both servers, alternating: the runs per ``query/target``."""
    server_cpu = None if args.no_pin else args.server_cpu
    client_cpu = None if args.no_pin else args.client_cpu
    me = [sys.executable, str(Path(__file__).resolve()), "_serve"]
    ports = {"real": harness.free_port(), "hand": harness.free_port()}
    specs = [
        ("real", harness.serve_command(db, ports["real"], args.threads), ports["real"]),
        ("hand", [*me, "hand", str(ports["hand"]), str(args.threads), db], ports["hand"]),
    ]
    cookie = {"Cookie": f"talentos_sid={token}"}
    runs: dict[str, list[dict[str, float]]] = {}
    with harness.servers(specs, workdir, server_cpu):
        targets = {}
        for name, path in paths.items():
            answers = {}
            for kind, port in ports.items():
                status, _, answers[kind] = request(port, "GET", path, headers=cookie)
                if status != 200:
                    raise SystemExit(f"{kind}: GET {path} answered {status}")
                targets[f"{name}/{kind}"] = f"http://{HOST}:{port}{path}"
            if answers["real"] != answers["hand"]:
                raise SystemExit(f"{name}: the servers answer differently")
        for url in targets.values():
            if args.warmup > 0:
                harness.wrk(url, cookie, 1, args.warmup, client_cpu)
        order = list(targets)
        for round_number in range(args.rounds):
            for key in order if round_number % 2 == 0 else order[::-1]:
                figures = harness.wrk(targets[key], cookie, 1, args.duration, client_cpu)
                runs.setdefault(key, []).append(figures)
                print(
                    f"  round {round_number + 1} {key:<12} {figures['rps']:8.1f} req/s  "
                    f"p50 {figures['p50']:7.2f} ms  p99 {figures['p99']:7.2f} ms",
                    flush=True,
                )
    return runs


# -- 2. the import -------------------------------------------------------------------------


def imports(db: str, tenant_id: str, vacancy_ids: list[str], rounds: int) -> dict[str, float]:
    """Best CPU (and wall) seconds of an import of new rows through the service, as CSV rows
    and as JSON objects, and of the same rows written raw."""
    from talentos_core import TalentOS
    from talentos_core.domain.actors import Actor
    from talentos_core.roles import Role

    best: dict[str, float] = {}

    def keep(name: str, cpu: float, wall: float) -> None:
        best[f"{name}_cpu"] = min(best.get(f"{name}_cpu", float("inf")), cpu)
        best[f"{name}_wall"] = min(best.get(f"{name}_wall", float("inf")), wall)

    actor = Actor.system(tenant_id=tenant_id, role=Role.ADMIN)
    with TalentOS.open(seeding.settings_for(db)) as talentos:
        for round_number in range(rounds):
            for kind in ("service", "service_json", "raw"):
                rows = seeding.import_rows(
                    vacancy_ids, IMPORT_ROWS, seed=1000 + round_number, tag=f"{kind}{round_number}"
                )
                if kind == "raw":
                    cpu, wall = write_raw(db, tenant_id, rows)
                else:
                    sent: list[Any] = list(rows)
                    if kind == "service_json":
                        sent = [seeding.as_json(row) for row in rows]
                    wall, cpu = time.perf_counter(), time.process_time()
                    result = talentos.candidates.import_rows(actor, sent)
                    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                    if result.created != IMPORT_ROWS:
                        raise SystemExit(f"the import created {result.created} candidates")
                keep(kind, cpu, wall)
    return best


def write_raw(db: str, tenant_id: str, rows: list[Any]) -> tuple[float, float]:
    """The rows the service would write, prepared first, then written with ``executemany``
    in one transaction under the store's settings: (CPU, wall) seconds of the writing."""
    now = datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    candidates, outbox, counts = [], [], {}
    for row in rows:
        candidate_id = "cand_" + secrets.token_hex(10)
        skills = json.dumps(row.skills, ensure_ascii=False, separators=(",", ":"))
        search_text = "\n".join((row.name, row.email, *row.skills)).casefold()
        candidates.append(
            (candidate_id, tenant_id, row.vacancy_id, row.name, row.email, row.email.lower(),
             row.phone, row.location, row.experience, skills, "applied", "import",
             now, now, now, search_text)
        )  # fmt: skip
        event = {"candidateId": candidate_id, "vacancyId": row.vacancy_id, "stage": "applied"}
        outbox.append(
            ("evt_" + secrets.token_hex(10), tenant_id, "candidate.applied", now,
             json.dumps({**event, "source": "import"}))
        )  # fmt: skip
        counts[row.vacancy_id] = counts.get(row.vacancy_id, 0) + 1
    connection = sqlite3.connect(db, isolation_level=None, timeout=10)
    try:
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
        wall, cpu = time.perf_counter(), time.process_time()
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(
            "INSERT INTO candidates (id, tenant_id, vacancy_id, name, email, email_key, phone, "
            "location, experience, skills, stage, source, created_at, updated_at, "
            "stage_changed_at, search_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?)",
            candidates,
        )
        connection.executemany(
            "INSERT INTO outbox (id, tenant_id, type, ts, data) VALUES (?, ?, ?, ?, ?)", outbox
        )
        connection.executemany(
            "UPDATE vacancies SET applicants = applicants + ? WHERE id = ? AND tenant_id = ?",
            [(count, vacancy_id, tenant_id) for vacancy_id, count in counts.items()],
        )
        connection.execute("COMMIT")
        return time.process_time() - cpu, time.perf_counter() - wall
    finally:
        connection.close()


# -- 3. the CLI's memory -------------------------------------------------------------------

#: Runs its arguments as a child and prints the child's peak RSS (KiB on Linux) and status.
_RSS_PROBE = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "sys.stdout.write(done.stderr.decode(errors='replace')[-3000:] if done.returncode else '')\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)\n"
)


def cli_import(workdir: Path, rows: int) -> dict[str, float]:
    """``talentos import candidates`` of a ``rows``-row CSV into a fresh tenant: its peak RSS
    in MB (measured by a probe process whose only child it is) and its wall time."""
    db = str(workdir / "cli.db")
    seeded = seeding.seed_tenant(db, 0, vacancies=20)
    source = workdir / "people.csv"
    with source.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["vacancyId", "name", "email", "phone", "location", "experience", "skills"])
        for row in seeding.import_rows(seeded.vacancy_ids, rows, seed=7, tag="cli"):
            writer.writerow(
                [row.vacancy_id, row.name, row.email, row.phone, row.location, row.experience,
                 ";".join(row.skills)]
            )  # fmt: skip
    argv = [harness.talentos_command(), "import", "candidates", str(source), "--json"]
    argv += ["--tenant", seeded.tenant_id, "--db", db]
    started = time.perf_counter()
    with harness.group([sys.executable, "-c", _RSS_PROBE, *argv]) as probe:
        out, _ = probe.communicate(timeout=3600)
    seconds = time.perf_counter() - started
    text = out.decode(errors="replace").strip()
    peak_kib, status = text.splitlines()[-1].split()
    if status != "0":
        raise SystemExit(f"talentos import candidates exited with {status}:\n{text}")
    imported = sqlite3.connect(db).execute("SELECT COUNT(*) FROM candidates").fetchone()[0]
    if imported != rows:
        raise SystemExit(f"the CLI imported {imported} of {rows} rows")
    return {"peak_rss_mb": int(peak_kib) / 1024, "seconds": seconds, "rows": rows}


# -- the run -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=SIZES, help="candidates per run, comma-separated")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per wrk run")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per URL")
    parser.add_argument("--rounds", type=int, default=3, help="alternating wrk rounds (median)")
    parser.add_argument("--cpu-rounds", type=int, default=25, help="in-process bursts per app")
    parser.add_argument("--import-rounds", type=int, default=5, help="imports of each kind")
    parser.add_argument("--cli-rows", type=int, default=CLI_ROWS, help="rows of the CLI's CSV")
    parser.add_argument("--skip-http", action="store_true", help="no servers, no wrk")
    parser.add_argument("--skip-cli", action="store_true", help="no CLI import")
    parser.add_argument("--threads", type=int, default=4, help="waitress threads per server")
    parser.add_argument("--server-cpu", type=int, default=0, help="CPU the servers run on")
    parser.add_argument("--client-cpu", type=int, default=1, help="CPU wrk runs on")
    parser.add_argument("--no-pin", action="store_true", help="do not use taskset")
    parser.add_argument("--json", action="store_true", help="also print the results as JSON")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    if not args.skip_http:
        harness.require_tools(pin=not args.no_pin)
        if not harness.cli_serves():
            raise SystemExit("`talentos serve` is not installed in .venv (pip install -e .)")
    harness.on_sigterm_unwind()
    harness.warn_if_busy()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="talentos-pipeline-") as work:
        workdir = Path(work)
        for size in sizes:
            started = time.perf_counter()
            db = str(workdir / f"pipeline-{size}.db")
            seeded = seeding.seed_tenant(db, size)
            print(f"{size:,} candidates seeded in {time.perf_counter() - started:.0f}s", flush=True)
            vacancy = seeded.vacancy_ids[0]
            paths = {name: path.format(vacancy=vacancy) for name, path in QUERIES.items()}
            figures: dict[str, Any] = {
                "cpu": in_process(db, seeded.session_token, paths, args.cpu_rounds)
            }
            print(f"  in-process CPU time measured at {size:,}", flush=True)
            if not args.skip_http:
                figures["http"] = over_http(workdir, db, seeded.session_token, paths, args)
            figures["import"] = imports(
                db, seeded.tenant_id, seeded.vacancy_ids, args.import_rounds
            )
            results[str(size)] = figures
        if not args.skip_cli:
            print(f"importing {args.cli_rows:,} CSV rows with the CLI", flush=True)
            results["cli"] = cli_import(workdir, args.cli_rows)
    return report(results, sizes, args.json)


def report(results: dict[str, Any], sizes: list[int], as_json: bool) -> int:
    lines: list[tuple[bool, str]] = []
    for size in sizes:
        figures = results[str(size)]
        print()
        print(f"{size:,} candidates: GET /api/candidates, 50 a page")
        print(
            f"{'query':<7}{'total':>8}{'real µs':>10}{'hand µs':>10}{'÷':>6}"
            f"{'real p50':>10}{'hand p50':>10}{'÷':>6}{'real p99':>10}{'hand p99':>10}"
        )
        for name in QUERIES:
            cpu = figures["cpu"][name]
            row = (
                f"{name:<7}{cpu['total']:>8}{cpu['real_us']:>10.0f}{cpu['hand_us']:>10.0f}"
                f"{cpu['real_us'] / cpu['hand_us']:>6.2f}"
            )
            if "http" in figures:
                real, hand = figures["http"][f"{name}/real"], figures["http"][f"{name}/hand"]
                p50 = {k: statistics.median(r["p50"] for r in runs) for k, runs in
                       (("real", real), ("hand", hand))}  # fmt: skip
                p99 = {k: statistics.median(r["p99"] for r in runs) for k, runs in
                       (("real", real), ("hand", hand))}  # fmt: skip
                paired = [r["p50"] / h["p50"] for r, h in zip(real, hand, strict=True)]
                ratio = statistics.median(paired)
                row += (
                    f"{p50['real']:>10.2f}{p50['hand']:>10.2f}{ratio:>6.2f}"
                    f"{p99['real']:>10.2f}{p99['hand']:>10.2f}"
                )
                rounds = ", ".join(f"{r:.2f}" for r in paired)
                lines.append(
                    (
                        ratio <= LATENCY_RATIO,
                        f"{size:,} candidates, {name}: real p50 <= {LATENCY_RATIO:g} x "
                        f"hand-written: {ratio:.2f} (rounds: {rounds}; in-process CPU: "
                        f"{cpu['real_us'] / cpu['hand_us']:.2f})",
                    )
                )
            print(row)
        imported = figures["import"]
        print(
            f"import of {IMPORT_ROWS} rows, best CPU (wall) ms: service "
            f"{imported['service_cpu'] * 1e3:.0f} ({imported['service_wall'] * 1e3:.0f}), "
            f"service from JSON objects {imported['service_json_cpu'] * 1e3:.0f} "
            f"({imported['service_json_wall'] * 1e3:.0f}), raw executemany "
            f"{imported['raw_cpu'] * 1e3:.0f} ({imported['raw_wall'] * 1e3:.0f})"
        )
        for kind, label in (("service", "import rows"), ("service_json", "JSON objects")):
            ratio = imported[f"{kind}_cpu"] / imported["raw_cpu"]
            wall = imported[f"{kind}_wall"] / imported["raw_wall"]
            lines.append(
                (
                    ratio <= IMPORT_RATIO,
                    f"{size:,} candidates: import of {IMPORT_ROWS} {label} <= {IMPORT_RATIO:g} x "
                    f"raw executemany (CPU): {ratio:.2f} (wall: {wall:.2f})",
                )
            )
    if "cli" in results:
        cli = results["cli"]
        print()
        print(
            f"talentos import candidates, {cli['rows']:,} rows: peak RSS "
            f"{cli['peak_rss_mb']:.1f} MB, {cli['seconds']:.0f} s"
        )
        lines.append(
            (
                cli["peak_rss_mb"] < CLI_RSS_MB,
                f"CLI import of {cli['rows']:,} rows under {CLI_RSS_MB} MB peak RSS: "
                f"{cli['peak_rss_mb']:.1f} MB",
            )
        )
    print()
    for ok, text in lines:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    if as_json:
        print(json.dumps(results, indent=2))
    return 0 if all(ok for ok, _ in lines) else 1


if __name__ == "__main__":
    if not harness.dispatch_serve({"hand": hand_app}):
        sys.exit(main())
