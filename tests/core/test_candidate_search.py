"""The candidate list's filters and ``q`` answer the same page and total on both backends,
whichever way SQLite reads a search (the matches' rows sorted, or the newest-first index
walked)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from talentos_core import NewVacancy, TalentOS
from talentos_core.backends.sqlite import pipeline
from talentos_core.domain.candidates import CandidateFilter, CandidatePatch, ImportRow, Stage
from talentos_core.domain.paging import PageRequest
from talentos_core.testing import FrozenClock, memory_talentos, sign_up, sqlite_talentos

NAMES = ["Ada Okafor", "Kwame Mensah", "Amara Nwosu", "Chen Wang", "Sofia Rossi", "Tunde Eze"]
SKILLS = [["Python", "SQL"], ["Go"], ["SQL", "dbt"], [], ["Python"], ["Kubernetes", "Go"]]
QUERIES = ["python", "PYTHON", "sql", "go", "okafor", "a", "zz", "no such text", "ada okafor", "@"]
FILTERS = [
    CandidateFilter(),
    CandidateFilter(stage=Stage.SCREENING),
    CandidateFilter(source=None, stage=Stage.APPLIED),
]
PAGES = [PageRequest(limit=5), PageRequest(limit=7, offset=3), PageRequest(limit=50, offset=20)]


def _fill(talentos: TalentOS, clock: FrozenClock) -> tuple[str, list[str]]:
    """Two vacancies, 36 candidates in batches at different times, some moved on."""
    admin = sign_up(talentos, "Acme Bank")
    vacancies = [talentos.vacancies.create(admin, NewVacancy(f"Job {n}")).id for n in range(2)]
    for batch in range(3):
        clock.advance(minutes=5)
        rows = [
            ImportRow(
                vacancies[number % 2],
                NAMES[number % len(NAMES)],
                f"person{batch}.{number}@example.com",
                skills=SKILLS[number % len(SKILLS)],
            )
            for number in range(12)
        ]
        talentos.candidates.import_rows(admin, rows)
    page = talentos.candidates.list(admin, CandidateFilter(q="person1."), PageRequest(limit=200))
    for candidate in page.items[::2]:
        talentos.candidates.update(admin, candidate.id, CandidatePatch(stage=Stage.SCREENING))
    assert admin.tenant_id is not None
    return admin.tenant_id, vacancies


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[TalentOS, TalentOS, str, list[str]]]:
    """The same tenant and candidates (same ids, same times) in memory and in SQLite."""
    memory_clock, sqlite_clock = FrozenClock(), FrozenClock()
    memory = memory_talentos(clock=memory_clock)
    sqlite = sqlite_talentos(str(tmp_path / "search.db"), clock=sqlite_clock)
    try:
        tenant_id, vacancies = _fill(memory, memory_clock)
        assert _fill(sqlite, sqlite_clock) == (tenant_id, vacancies)
        yield memory, sqlite, tenant_id, vacancies
    finally:
        memory.close()
        sqlite.close()


def _answer(
    talentos: TalentOS, tenant_id: str, where: CandidateFilter, page: PageRequest
) -> tuple[list[str], int]:
    found = talentos.store.reader().candidates.list(tenant_id, where, page)
    return [candidate.id for candidate in found.items], found.total


class TestCandidateSearch:
    @pytest.mark.parametrize("sort_cost", [0, 10**9], ids=["sorted-matches", "index-walk"])
    def test_sqlite_answers_as_memory_does_either_way(
        self,
        pair: tuple[TalentOS, TalentOS, str, list[str]],
        monkeypatch: pytest.MonkeyPatch,
        sort_cost: int,
    ) -> None:
        """Every q (long, short, absent, matching nothing) with every filter and page gives
        the memory backend's items and exact total, by either SQLite reading."""
        memory, sqlite, tenant_id, vacancies = pair
        monkeypatch.setattr(pipeline, "SORT_COST", sort_cost)
        checked = 0
        for q in [None, *QUERIES]:
            for base in [*FILTERS, CandidateFilter(job_id=vacancies[1])]:
                for page in PAGES:
                    where = CandidateFilter(
                        job_id=base.job_id, stage=base.stage, source=base.source, q=q
                    )
                    expected = _answer(memory, tenant_id, where, page)
                    assert _answer(sqlite, tenant_id, where, page) == expected, (where, page)
                    checked += bool(expected[0])
        assert checked > 50  # most combinations return items, not only empty pages

    def test_a_search_past_its_total_answers_the_total_and_no_items(
        self, pair: tuple[TalentOS, TalentOS, str, list[str]]
    ) -> None:
        """An offset beyond the matches: no items, and still the exact total."""
        _, sqlite, tenant_id, _ = pair
        answer = _answer(sqlite, tenant_id, CandidateFilter(q="okafor"), PageRequest(offset=500))
        assert answer == ([], 6)
