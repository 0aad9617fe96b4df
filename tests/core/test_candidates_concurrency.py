"""Applications racing for one vacancy (CONTRACT §1, §6): threads on one store and processes
on one SQLite file lose no increment of `applicants`, honour every dedupe, and leave an intact
audit chain.

A busy database answers :class:`Unavailable` (503) once its timeout passes; a client retries
such a call, and since the transaction rolled back, a retry can neither lose nor double an
application.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

import attrs
import pytest
from core_pipeline import TENANT, open_vacancy, outbox, trail, vacancy_counters

from talentos_core import Actor, PageRequest, TalentOS
from talentos_core.domain.candidates import Application, CandidateFilter, email_key
from talentos_core.errors import Unavailable
from talentos_core.ids import RandomIds
from talentos_core.testing import FrozenClock, memory_talentos, sign_up, sqlite_talentos

T = TypeVar("T")
#: What one application gave: the email as sent, the candidate id, and whether it was a dedup.
Applied = tuple[str, str, bool]

#: Seconds a worker process may take; past it the test fails rather than hangs.
PROCESS_TIMEOUT = 120


def retrying(call: Callable[[], T], attempts: int = 50) -> T:
    """``call()``, again while the database is busy (what a client does with a 503)."""
    for _ in range(attempts - 1):
        try:
            return call()
        except Unavailable:
            time.sleep(0.01)
    return call()


def apply_all(talentos: TalentOS, vacancy_id: str, emails: Sequence[str]) -> list[Applied]:
    """Apply once per email, as an anonymous visitor with no IP (not rate-limited)."""
    results = []
    for email in emails:
        form = Application(vacancy_id, "Applicant", email)
        result = retrying(lambda form=form: talentos.candidates.apply(Actor.public(), form))
        results.append((email, result.candidate.id, result.dedup))
    return results


def open_shared(path: str) -> TalentOS:
    """:func:`sqlite_talentos` on ``path`` with random ids: several processes' sequential ids
    would collide. Every one has the same (test) audit key."""
    local = sqlite_talentos(path)
    return TalentOS(attrs.evolve(local.deps, ids=RandomIds()))


def apply_in_a_process(path: str, vacancy_id: str, emails: list[str]) -> list[Applied]:
    """A spawned process's work: open the file itself, apply, close."""
    with open_shared(path) as talentos:
        return apply_all(talentos, vacancy_id, emails)


def workloads(workers: int, own: int, shared: int) -> list[list[str]]:
    """Each worker's emails: ``own`` of its own, and ``shared`` every worker applies with too
    (in its own letter case), interleaved so that duplicates race."""
    loads = []
    for worker in range(workers):
        mine = [f"w{worker}-{n}@example.com" for n in range(own)]
        dupes = [
            f"Shared{n}@Example.com" if worker % 2 else f"shared{n}@example.COM"
            for n in range(shared)
        ]
        loads.append(
            [email for pair in zip(mine, dupes, strict=False) for email in pair] + mine[shared:]
        )
    return loads


def check_outcome(talentos: TalentOS, vacancy_id: str, results: list[Applied]) -> None:
    """Exactly one candidate per distinct email, made by exactly one application; every other
    application of that email answered it as a dedup; the counter and the events agree."""
    by_email: dict[str, set[str]] = defaultdict(set)
    made: Counter[str] = Counter()
    for email, candidate_id, dedup in results:
        by_email[email_key(email)].add(candidate_id)
        made[email_key(email)] += not dedup
    assert all(len(ids) == 1 for ids in by_email.values())
    assert set(made.values()) == {1}
    admin = Actor.system(TENANT)
    stored = talentos.candidates.list(
        admin, CandidateFilter(vacancy_id=vacancy_id), PageRequest(limit=200)
    )
    assert stored.total == len(by_email)
    assert {c.id for c in stored.items} == set().union(*by_email.values())
    assert vacancy_counters(talentos, vacancy_id) == (len(by_email), 0)
    assert [e.type for e in trail(talentos)].count("candidate.applied") == len(by_email)
    assert [e.type for e in outbox(talentos)].count("candidate.applied") == len(by_email)
    (verdict,) = talentos.audit.verify(TENANT)
    assert verdict.ok, verdict


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
def test_threads_applying_to_one_vacancy_lose_nothing(backend: str, tmp_path: Path) -> None:
    """Eight threads applying together (distinct emails, and the same few emails in every
    thread) leave `applicants` equal to the number of candidates, one per email."""
    clock = FrozenClock()
    if backend == "memory":
        talentos = memory_talentos(clock=clock)
    else:
        talentos = sqlite_talentos(str(tmp_path / "shared.db"), clock=clock)
    with talentos:
        vacancy_id = open_vacancy(talentos, sign_up(talentos))
        loads = workloads(workers=8, own=15, shared=5)
        start = threading.Barrier(len(loads))
        results: list[list[Applied]] = [[] for _ in loads]
        failures: list[BaseException] = []

        def work(index: int) -> None:
            try:
                start.wait()
                results[index] = apply_all(talentos, vacancy_id, loads[index])
            except BaseException as error:  # surfaced below: a thread cannot fail the test
                failures.append(error)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(len(loads))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert failures == []
        assert not any(thread.is_alive() for thread in threads)
        flat = [applied for chunk in results for applied in chunk]
        assert len(flat) == sum(map(len, loads))
        check_outcome(talentos, vacancy_id, flat)
        assert vacancy_counters(talentos, vacancy_id) == (8 * 15 + 5, 0)


def test_processes_applying_to_one_file_lose_nothing(tmp_path: Path) -> None:
    """Two processes, each with its own store on the same SQLite file and the same audit key,
    applying together (some emails in both) leave exact counters and an intact chain."""
    path = str(tmp_path / "shared.db")
    with sqlite_talentos(path) as setup:
        vacancy_id = open_vacancy(setup, sign_up(setup))
    loads = workloads(workers=2, own=40, shared=10)
    context = multiprocessing.get_context("spawn")
    # An executor, not a Pool: a worker that dies fails the test instead of hanging it.
    with ProcessPoolExecutor(len(loads), mp_context=context) as pool:
        futures = [pool.submit(apply_in_a_process, path, vacancy_id, load) for load in loads]
        chunks = [future.result(timeout=PROCESS_TIMEOUT) for future in futures]
    with open_shared(path) as talentos:
        check_outcome(talentos, vacancy_id, [applied for chunk in chunks for applied in chunk])
        assert vacancy_counters(talentos, vacancy_id) == (2 * 40 + 10, 0)
