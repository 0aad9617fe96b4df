"""`talentos demo`: a realistic, deterministic demo company, made through the services."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from cli_support import Invoke, open_db

from talentos_core import Actor, Credentials, TalentOS
from talentos_core.backends.memory import MemoryStore
from talentos_core.demo import HistoryClock, populate
from talentos_core.domain.candidates import CandidateFilter, Stage
from talentos_core.domain.interviews import InterviewFilter, InterviewStatus
from talentos_core.domain.offers import OfferFilter, OfferStatus
from talentos_core.domain.paging import PageRequest
from talentos_core.domain.vacancies import VacancyFilter, VacancyStatus
from talentos_core.roles import Role
from talentos_core.testing import test_settings


def _everything(talentos: TalentOS, tenant_id: str) -> dict[str, list[Any]]:
    """Every record of the tenant, read page by page."""
    reader = talentos.store.reader()
    lists = {
        "vacancies": lambda page: reader.vacancies.list(tenant_id, VacancyFilter(), page),
        "candidates": lambda page: reader.candidates.list(tenant_id, CandidateFilter(), page),
        "offers": lambda page: reader.offers.list(tenant_id, OfferFilter(), page),
        "interviews": lambda page: reader.interviews.list(tenant_id, InterviewFilter(), page),
    }
    found: dict[str, list[Any]] = {}
    for name, read in lists.items():
        items: list[Any] = []
        total = 1
        while len(items) < total:
            page = read(PageRequest(limit=200, offset=len(items)))
            items, total = items + page.items, page.total
        found[name] = items
    return found


@pytest.fixture(scope="module")
def demo() -> Any:
    """The seed-1 demo on the memory backend (cheap hashing), built once for this module."""
    clock = HistoryClock()
    talentos = TalentOS.build(MemoryStore(), settings=test_settings(), clock=clock)
    report = populate(talentos, clock, seed=1)
    yield talentos, report, _everything(talentos, report.tenant_id)
    talentos.close()


class TestTheDemoCompany:
    def test_it_has_a_login_for_every_role(self, demo: Any) -> None:
        """One account per role, each able to sign in with the printed password."""
        talentos, report, _ = demo
        assert sorted(login.role for login in report.logins) == sorted(Role)
        for login in report.logins:
            signed_in = talentos.auth.login(
                Actor.public(), Credentials(login.email, login.password)
            )
            assert signed_in.user.role == login.role

    def test_it_has_about_twenty_vacancies_in_every_status(self, demo: Any) -> None:
        """20 vacancies, each status present."""
        _, report, records = demo
        statuses = Counter(vacancy.status for vacancy in records["vacancies"])
        assert (report.vacancies, set(statuses)) == (20, set(VacancyStatus))

    def test_its_candidates_fill_every_stage_and_source(self, demo: Any) -> None:
        """A few hundred candidates over every stage and every source."""
        _, report, records = demo
        candidates = records["candidates"]
        assert 150 <= len(candidates) == report.candidates <= 500
        assert {c.stage for c in candidates} == set(Stage)
        assert {c.source.value for c in candidates} == {
            "careers",
            "import",
            "manual",
            "agency",
            "referral",
        }

    def test_offers_are_in_every_state_and_interviews_carry_scorecards(self, demo: Any) -> None:
        """Every offer status occurs; completed interviews have scorecards."""
        _, _, records = demo
        assert {offer.status for offer in records["offers"]} == set(OfferStatus)
        completed = [i for i in records["interviews"] if i.status == InterviewStatus.COMPLETED]
        assert completed
        assert all(interview.scorecards for interview in completed)

    def test_the_counters_match_the_candidates(self, demo: Any) -> None:
        """Each vacancy's applicants and hired equal a count of its candidates."""
        _, _, records = demo
        applicants = Counter(c.vacancy_id for c in records["candidates"])
        hired = Counter(c.vacancy_id for c in records["candidates"] if c.stage == Stage.HIRED)
        assert {v.id: (v.applicants, v.hired) for v in records["vacancies"]} == {
            v.id: (applicants[v.id], hired[v.id]) for v in records["vacancies"]
        }

    def test_the_same_seed_makes_the_same_company(self, demo: Any) -> None:
        """Seed 1 again gives the same vacancies and candidates (ids aside)."""
        _, _, records = demo
        clock = HistoryClock()
        with TalentOS.build(MemoryStore(), settings=test_settings(), clock=clock) as again:
            other = _everything(again, populate(again, clock, seed=1).tenant_id)
        assert _shape(other) == _shape(records)


class TestTheCommand:
    def test_it_prints_the_company_its_chain_verifies_and_a_rerun_is_one_line(
        self, invoke: Invoke, db_path: str
    ) -> None:
        """`talentos demo --db F --json` reports the company and its logins, its audit chain
        verifies, and loading the same seed again is one error line, not a traceback."""
        result = invoke("demo", "--db", db_path, "--json", "--seed", "7")
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert report["tenantId"] == "northwind-bank"
        assert {login["email"] for login in report["logins"]} >= {"admin@northwind-7.example"}
        assert invoke("audit", "verify", "--db", db_path).exit_code == 0
        again = invoke("demo", "--db", db_path, "--seed", "7")
        assert (again.exit_code, again.output.startswith("error: ")) == (1, True)
        with open_db(db_path) as talentos:
            assert talentos.store.reader().tenants.all_ids() == ["northwind-bank"]


def _shape(records: dict[str, list[Any]]) -> Any:
    return (
        sorted((v.title, v.status, v.applicants, v.hired) for v in records["vacancies"]),
        sorted((c.name, c.email, c.stage, c.source) for c in records["candidates"]),
        sorted((o.status, o.base_salary) for o in records["offers"]),
    )
