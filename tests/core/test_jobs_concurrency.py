"""Workers sharing one SQLite file, as threads of one process or as processes of their own,
never run the same job twice: each of 1,000 jobs is completed by exactly one worker."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest

from talentos_core.backends.sqlite import SQLiteStore
from talentos_core.domain.jobs import JobStatus
from talentos_core.errors import Unavailable
from talentos_core.testing.contract import make_job

T = TypeVar("T")
#: What a worker reports: the ids it claimed, and those it completed.
Outcome = tuple[list[str], list[str]]
JOBS = 1_000
#: Far longer than the test: no lease lapses, so no job may be claimed twice.
LEASE = timedelta(minutes=10)
BATCH = 7


def _patiently(call: Callable[[], T], tries: int = 20) -> T:
    """``call``, again (a few times) while the database stays busy past its timeout."""
    for _ in range(tries - 1):
        try:
            return call()
        except Unavailable:
            continue
    return call()


def drain(store: SQLiteStore, owner: str) -> Outcome:
    """Claim and complete jobs until none is left; return the ids claimed and completed."""
    claimed: list[str] = []
    completed: list[str] = []

    def claim() -> list[str]:
        with store.transaction() as uow:
            return [job.id for job in uow.jobs.claim(owner, datetime.now(UTC), LEASE, BATCH)]

    def complete(job_id: str) -> bool:
        with store.transaction() as uow:
            return uow.jobs.complete(job_id, owner, datetime.now(UTC))

    while batch := _patiently(claim):
        claimed += batch
        completed += [job_id for job_id in batch if _patiently(lambda j=job_id: complete(j))]
    return claimed, completed


def work_in_a_process(path: str, owner: str, start: Any, results: Any) -> None:
    """A worker process: its own store on the file, draining once every worker is ready."""
    store = SQLiteStore(path)
    try:
        start.wait(timeout=60)
        results.put((owner, drain(store, owner)))
    finally:
        store.close()


@pytest.fixture
def queue(tmp_path: Path) -> Iterator[str]:
    """A SQLite file with :data:`JOBS` jobs due, their run_at out of id order."""
    path = str(tmp_path / "jobs.db")
    store = SQLiteStore(path)
    now = datetime.now(UTC)
    with store.transaction() as uow:
        for number in range(JOBS):
            uow.jobs.enqueue(
                make_job(f"job_{number:04d}", run_at=now - timedelta(seconds=number % 17))
            )
    store.close()
    yield path


def _check_exactly_once(path: str, results: list[Outcome]) -> None:
    """Every job was claimed by one worker only, once, and completed by it."""
    everything = {f"job_{number:04d}" for number in range(JOBS)}
    claimed = [set(ids) for ids, _ in results]
    assert [len(ids) for ids, _ in results] == [len(ids) for ids in claimed]
    assert [set(done) for _, done in results] == claimed
    assert sum(len(ids) for ids in claimed) == JOBS
    assert set.union(*claimed) == everything
    store = SQLiteStore(path)
    try:
        jobs = store.reader().jobs
        assert (jobs.count(JobStatus.DONE), jobs.count()) == (JOBS, JOBS)
        assert {job.attempts for job in map(jobs.get, sorted(everything)) if job} == {1}
    finally:
        store.close()


class TestWorkersOnOneFile:
    def test_threads_complete_every_job_exactly_once(self, queue: str) -> None:
        """Eight threads claiming through one store (a connection each) get jobs of their
        own, and between them complete all 1,000, each once."""
        store = SQLiteStore(queue)
        start = threading.Barrier(8)
        results: list[Outcome] = []
        lock = threading.Lock()

        def run(owner: str) -> None:
            start.wait(timeout=60)
            found = drain(store, owner)
            with lock:
                results.append(found)

        threads = [threading.Thread(target=run, args=(f"thread-{n}",)) for n in range(8)]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        finally:
            store.close()
        assert ([thread.is_alive() for thread in threads], len(results)) == ([False] * 8, 8)
        _check_exactly_once(queue, results)

    def test_processes_complete_every_job_exactly_once(self, queue: str) -> None:
        """Two worker processes, each with its own store on the file, complete all 1,000
        jobs between them, each once."""
        context = multiprocessing.get_context("spawn")
        start, results = context.Barrier(2), context.Queue()
        workers = [
            context.Process(target=work_in_a_process, args=(queue, owner, start, results))
            for owner in ("process-1", "process-2")
        ]
        for worker in workers:
            worker.start()
        try:
            found = dict(results.get(timeout=120) for _ in workers)
        finally:
            for worker in workers:
                worker.join(timeout=60)
        assert [worker.exitcode for worker in workers] == [0, 0]
        _check_exactly_once(queue, list(found.values()))
