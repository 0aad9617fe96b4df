"""HTTP list benchmark: the vacancy and candidate lists against hand-written endpoints and a
bare Falcon ceiling.

Starts, on one SQLite file seeded with a tenant of 200 vacancies and 1,000 candidates:

* ``ceiling``: a bare Falcon app answering a constant 20-item vacancy list (``resp.media``);
* ``minimal``: hand-written endpoints doing the same work as the real ones with raw
  ``sqlite3`` and ``json`` (``minimal.py``: the session and its user in one query, the count
  and the page query);
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
import json
import re
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import harness
from harness import HOST, request

VACANCIES = 200
CANDIDATES = 1000
#: The lists measured: the path asked, the reply's key, the total it must answer.
LISTS = {
    "vacancies": ("/api/vacancies?limit=20", "vacancies", VACANCIES),
    "candidates": ("/api/candidates?limit=50", "candidates", CANDIDATES),
}
CEILING_ITEMS = 20
SEED_PASSWORD = "bench-password-1234"

LEVELS = ("junior", "mid", "senior", "lead")
TYPES = ("full_time", "part_time", "contract")
CITIES = ("Berlin", "Lisbon", "Remote", "Toronto", "Nairobi")

#: What each requirement asks: (target, base, concurrency or None for every one, least ratio).
REQUIREMENTS = {
    "vacancies": [("bearer", "cookie", None, 0.9), ("cookie", "ceiling", 16, 0.25)],
    "candidates": [("bearer", "cookie", None, 0.9)],
}
#: Every list: the real server with a cookie against the hand-written endpoint.
COOKIE_VS_MINIMAL = 0.85


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


def bare_app(_db: str) -> Any:
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
        for number in range(CEILING_ITEMS)
    ]
    body = {
        "ok": True,
        "vacancies": items,
        "total": VACANCIES,
        "limit": CEILING_ITEMS,
        "offset": 0,
    }

    class Constant:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = body

    app = falcon.App()
    app.add_route("/api/vacancies", Constant())
    return app


def minimal_app(db: str) -> Any:
    import minimal

    return minimal.app(db)


def real_app(db: str) -> Any:
    """The real app, built as ``talentos serve`` builds it (fallback when the CLI is absent)."""
    from talentos_core import TalentOS
    from talentos_core.settings import Settings
    from talentos_http import create_app

    settings = Settings.from_env({"TALENTOS_DB": db, **harness.argon2_env()})
    return create_app(TalentOS.open(settings))


BUILDERS = {"bare": bare_app, "minimal": minimal_app, "real": real_app}


# -- seeding over HTTP -----------------------------------------------------------------------


def seed(port: int) -> tuple[str, str]:
    """Sign a tenant up, create its vacancies, import its candidates, make an API key:
    (session token, raw key)."""
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
    vacancy_ids = []
    for number in range(VACANCIES):
        status, _, answer = request(port, "POST", "/api/vacancies", new_vacancy(number), cookie)
        if status != 201:
            raise SystemExit(f"creating a vacancy answered {status}: {answer}")
        vacancy_ids.append(answer["vacancy"]["id"])
    import seeding  # the realistic rows of the pipeline bench

    rows = [seeding.as_json(row) for row in seeding.import_rows(vacancy_ids, CANDIDATES)]
    for start in range(0, len(rows), 500):
        batch = {"rows": rows[start : start + 500]}
        status, _, answer = request(port, "POST", "/api/candidates/import", batch, cookie)
        if status != 200 or answer["skipped"]:
            raise SystemExit(f"importing candidates answered {status}: {answer}")
    status, _, answer = request(port, "POST", "/api/tenants/me/api-keys", {"name": "bench"}, cookie)
    if status != 201:
        raise SystemExit(f"creating an API key answered {status}: {answer}")
    return token, answer["rawToken"]


def check_target(port: int, headers: dict[str, str], name: str, kind: str) -> Any:
    """The target's answer to the list's request, after checking its size and total."""
    path, key, total = LISTS[kind]
    status, _, answer = request(port, "GET", path, headers=headers)
    items = (answer or {}).get(key) or []
    wanted = CEILING_ITEMS if name == "ceiling" else min(total, int(path.rsplit("=", 1)[1]))
    if status != 200 or len(items) != wanted or answer.get("total") != total:
        raise SystemExit(f"{name}: GET {path} answered {status} with {len(items)} items")
    return answer


# -- the run -------------------------------------------------------------------------------

Target = tuple[str, str]  # (list, target name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per target")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (median)")
    parser.add_argument("--concurrency", default="1,16", help="comma-separated connections")
    parser.add_argument("--lists", default="vacancies,candidates", help="lists to measure")
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
    lists = [kind for kind in args.lists.split(",") if kind]
    if unknown := set(lists) - set(LISTS):
        raise SystemExit(f"unknown lists: {', '.join(sorted(unknown))}")
    server_cpu = None if args.no_pin else args.server_cpu
    client_cpu = None if args.no_pin else args.client_cpu
    harness.require_tools(pin=not args.no_pin)
    harness.on_sigterm_unwind()
    harness.warn_if_busy()
    with tempfile.TemporaryDirectory(prefix="talentos-bench-") as work:
        workdir = Path(work)
        db = str(workdir / "bench.db")
        use_cli = not args.in_process and harness.cli_serves()
        me = [sys.executable, str(Path(__file__).resolve()), "_serve"]
        ports = {name: harness.free_port() for name in ("real", "bare", "minimal")}
        real = (
            harness.serve_command(db, ports["real"], args.threads)
            if use_cli
            else [*me, "real", str(ports["real"]), str(args.threads), db]
        )
        specs = [("real", real, ports["real"])] + [
            (name, [*me, name, str(ports[name]), str(args.threads), db], ports[name])
            for name in ("bare", "minimal")
        ]
        with harness.servers(specs, workdir, server_cpu) as started:
            token, key = seed(started["real"].port)
            cookie = {"Cookie": f"talentos_sid={token}"}
            ports_of = {
                "ceiling": (ports["bare"], {}),
                "minimal": (ports["minimal"], cookie),
                "cookie": (ports["real"], cookie),
                "bearer": (ports["real"], {"Authorization": f"Bearer {key}"}),
            }
            targets: dict[Target, tuple[str, dict[str, str]]] = {}
            for kind in lists:
                answers = {}
                for name, (port, headers) in ports_of.items():
                    if name == "ceiling" and kind != "vacancies":
                        continue
                    answers[name] = check_target(port, headers, name, kind)
                    targets[(kind, name)] = (f"http://{HOST}:{port}{LISTS[kind][0]}", headers)
                if answers["minimal"] != answers["cookie"]:
                    raise SystemExit(f"{kind}: the hand-written endpoint answers differently")
            print(
                f"real server: {'talentos serve' if use_cli else 'in-process fallback'}; "
                f"waitress {harness.waitress_options(args.threads)}; servers on CPU "
                f"{server_cpu}, wrk on CPU {client_cpu}; {args.rounds} rounds x "
                f"{args.duration:g}s",
                flush=True,
            )
            results = measure(targets, concurrencies, args, client_cpu)
    return report(results, lists, concurrencies, args.json)


def measure(
    targets: dict[Target, tuple[str, dict[str, str]]],
    concurrencies: list[int],
    args: argparse.Namespace,
    cpu: int | None,
) -> dict[tuple[str, str, int], list[dict[str, float]]]:
    results: dict[tuple[str, str, int], list[dict[str, float]]] = {}
    names = list(targets)
    for (kind, name), (url, headers) in targets.items():
        if args.warmup > 0:
            harness.wrk(url, headers, max(concurrencies), args.warmup, cpu)
        print(f"warmed up {kind}/{name}", flush=True)
    for round_number in range(args.rounds):
        order = names if round_number % 2 == 0 else names[::-1]
        for connections in concurrencies:
            for kind, name in order:
                url, headers = targets[(kind, name)]
                figures = harness.wrk(url, headers, connections, args.duration, cpu)
                results.setdefault((kind, name, connections), []).append(figures)
                print(
                    f"round {round_number + 1} c={connections:<3} {kind:<10} {name:<8} "
                    f"{figures['rps']:9.1f} req/s  p50 {figures['p50']:7.2f} ms  "
                    f"p99 {figures['p99']:7.2f} ms",
                    flush=True,
                )
    return results


def report(
    results: dict[tuple[str, str, int], list[dict[str, float]]],
    lists: list[str],
    concurrencies: list[int],
    as_json: bool,
) -> int:
    median: dict[tuple[str, str, int], dict[str, float]] = {
        key: {k: statistics.median(run[k] for run in runs) for k in ("rps", "p50", "p99")}
        for key, runs in results.items()
    }
    requirements: list[tuple[str, str, str, int, float]] = []
    top = 16 if 16 in concurrencies else max(concurrencies)
    for kind in lists:
        path = LISTS[kind][0]
        print()
        print(f"GET {path}, medians")
        print(
            f"{'target':<10}{'conc':>5}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
            f"{'÷ceiling':>10}{'÷minimal':>10}"
        )
        for connections in concurrencies:
            ceiling = median.get((kind, "ceiling", connections), {}).get("rps")
            minimal = median[(kind, "minimal", connections)]["rps"]
            for name in ("ceiling", "minimal", "cookie", "bearer"):
                if (kind, name, connections) not in median:
                    continue
                m = median[(kind, name, connections)]
                versus_ceiling = f"{m['rps'] / ceiling:>10.2f}" if ceiling else f"{'':>10}"
                print(
                    f"{name:<10}{connections:>5}{m['rps']:>10.0f}{m['p50']:>9.2f}"
                    f"{m['p99']:>9.2f}{versus_ceiling}{m['rps'] / minimal:>10.2f}"
                )
        for name, base, at, needed in REQUIREMENTS[kind]:
            for connections in concurrencies if at is None else [top]:
                requirements.append((kind, name, base, connections, needed))
        requirements.append((kind, "cookie", "minimal", top, COOKIE_VS_MINIMAL))
    print()
    failed = 0
    for kind, name, base, connections, needed in requirements:
        # Each round measured the two targets back to back: the ratio within a round is
        # less exposed to drift on the machine than a ratio of medians over the whole run.
        paired = [
            run["rps"] / other["rps"]
            for run, other in zip(
                results[(kind, name, connections)], results[(kind, base, connections)], strict=True
            )
        ]
        ratio = statistics.median(paired)
        ok = ratio >= needed
        failed += not ok
        rounds = ", ".join(f"{r:.2f}" for r in paired)
        print(
            f"{'PASS' if ok else 'FAIL'}  {kind}: {name} >= {needed:g} x {base} at "
            f"c={connections}: {ratio:.3f} (median of rounds: {rounds})"
        )
    if as_json:
        print(json.dumps({f"{k}/{n}@{c}": m for (k, n, c), m in median.items()}, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    if not harness.dispatch_serve(BUILDERS):
        sys.exit(main())
