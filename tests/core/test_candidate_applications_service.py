"""Public applications through the Python API, on both backends (CONTRACT §6): a new
candidate or the one the (email, vacancy) pair already names, the vacancy that must be open,
the per-IP rate limit, and the events an application writes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from core_pipeline import (
    ADA,
    TENANT,
    apply,
    build,
    leaks,
    open_vacancy,
    outbox,
    public,
    trail,
    types_since,
    vacancy_counters,
    written,
)

from talentos_core import (
    Actor,
    NotFound,
    RateLimited,
    TalentOS,
    VacancyPatch,
    VacancyStatus,
    ValidationError,
)
from talentos_core.domain.candidates import (
    Application,
    Source,
    Stage,
)
from talentos_core.testing import FrozenClock, sign_up


@pytest.fixture
def admin(talentos: TalentOS) -> Actor:
    return sign_up(talentos)


@pytest.fixture
def vacancy_id(talentos: TalentOS, admin: Actor) -> str:
    """An open vacancy of acme-bank."""
    return open_vacancy(talentos, admin)


class TestApplying:
    def test_a_new_application_makes_a_candidate(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str
    ) -> None:
        """A first application is a new careers candidate at `applied`, counted on the vacancy."""
        result = talentos.candidates.apply(
            public(), Application(vacancy_id, skills=["cobol"], experience=3, **ADA)
        )
        candidate = result.candidate
        assert result.dedup is False
        assert (candidate.stage, candidate.source, candidate.tenant_id) == (
            Stage.APPLIED,
            Source.CAREERS,
            TENANT,
        )
        assert (candidate.skills, candidate.experience, candidate.hired_at) == (["cobol"], 3, None)
        assert candidate.id.startswith("cand_")
        assert talentos.candidates.get(admin, candidate.id) == candidate
        assert vacancy_counters(talentos, vacancy_id) == (1, 0)

    def test_the_same_email_in_any_case_is_a_dedup(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str
    ) -> None:
        """Applying again with the email in another case answers the first candidate, unchanged,
        with `dedup` and writes nothing."""
        first = talentos.candidates.apply(public(), Application(vacancy_id, **ADA)).candidate
        before = written(talentos)
        again = talentos.candidates.apply(
            public(),
            Application(vacancy_id, "A. Lovelace", "ada.lovelace@EXAMPLE.com", phone="1"),
        )
        assert (again.dedup, again.candidate) == (True, first)
        assert talentos.candidates.get(admin, first.id) == first
        assert vacancy_counters(talentos, vacancy_id) == (1, 0)
        assert written(talentos) == before

    def test_the_same_email_on_another_vacancy_is_another_candidate(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str
    ) -> None:
        """Dedupe is per vacancy: the same person applying elsewhere is a new candidate."""
        other = open_vacancy(talentos, admin, "Clerk")
        first = apply(talentos, vacancy_id, **ADA)
        second = talentos.candidates.apply(public(), Application(other, **ADA))
        assert second.dedup is False
        assert second.candidate.id != first.id
        assert vacancy_counters(talentos, other) == (1, 0)

    def test_any_tenants_open_vacancy_takes_applications(self, talentos: TalentOS) -> None:
        """The vacancy decides the tenant: an application to other-co's job is other-co's."""
        sign_up(talentos)
        theirs = open_vacancy(talentos, sign_up(talentos, "Other Co"))
        assert apply(talentos, theirs).tenant_id == "other-co"
        assert [e.type for e in outbox(talentos, "other-co")] == [
            "vacancy.published",
            "candidate.applied",
        ]
        assert written(talentos) == (1, 0)

    @pytest.mark.parametrize(
        "status", [VacancyStatus.DRAFT, VacancyStatus.ON_HOLD, VacancyStatus.CLOSED, None]
    )
    def test_a_vacancy_that_is_not_open_is_not_found(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str, status: VacancyStatus | None
    ) -> None:
        """Applying to a draft, on-hold, closed or unknown vacancy is NotFound, writing nothing."""
        target = "vac_doesnotexist00000000"
        if status is not None:
            talentos.vacancies.update(admin, vacancy_id, VacancyPatch(status=status))
            target = vacancy_id
        before = written(talentos)
        with pytest.raises(NotFound):
            talentos.candidates.apply(public(), Application(target, **ADA))
        assert written(talentos) == before
        assert talentos.candidates.list(admin).total == 0

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"name": ""}, "name"),
            ({"name": "x" * 201}, "name"),
            ({"email": "ada.example.com"}, "email"),
            ({"phone": "1" * 41}, "phone"),
            ({"location": "x" * 201}, "location"),
            ({"experience": 71}, "experience"),
            ({"experience": -1}, "experience"),
            ({"skills": ["x"] * 51}, "skills"),
            ({"skills": ["x" * 61]}, "skills"),
        ],
    )
    def test_an_invalid_application_names_the_field(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str, changes: dict[str, Any], field: str
    ) -> None:
        """A bad field is a ValidationError naming it, and no candidate is made."""
        form = Application(vacancy_id, **{**ADA, **changes})
        with pytest.raises(ValidationError) as caught:
            talentos.candidates.apply(public(), form)
        assert list(caught.value.fields) == [field]
        assert vacancy_counters(talentos, vacancy_id) == (0, 0)

    def test_a_resume_that_is_not_an_upload_of_the_tenant_is_not_found(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str
    ) -> None:
        """A `resumeUploadId` naming no upload of the vacancy's tenant is NotFound."""
        form = Application(vacancy_id, resume_upload_id="upl_doesnotexist00000000", **ADA)
        with pytest.raises(NotFound):
            talentos.candidates.apply(public(), form)
        assert talentos.candidates.list(admin).total == 0

    def test_an_application_writes_ids_only(self, talentos: TalentOS, vacancy_id: str) -> None:
        """`candidate.applied` goes to the chain (public actor) and the outbox, with ids and
        states but not the person."""
        before = written(talentos)
        candidate = apply(talentos, vacancy_id, phone="+44 1", location="Leeds", **ADA)
        assert types_since(talentos, before) == (["candidate.applied"], ["candidate.applied"])
        event = trail(talentos)[-1]
        assert (event.actor_type, event.entity_type, event.entity_id) == (
            "public",
            "candidate",
            candidate.id,
        )
        assert outbox(talentos)[-1].data == {
            "candidateId": candidate.id,
            "vacancyId": vacancy_id,
            "stage": "applied",
            "source": "careers",
        }
        assert leaks(talentos, "Ada", "Lovelace", "+44 1", "Leeds") == []


class TestApplyRateLimit:
    @pytest.fixture
    def talentos(self, backend: str, tmp_path: Path, clock: FrozenClock) -> Iterator[TalentOS]:
        """TalentOS taking three applications a minute from one client IP."""
        services = build(backend, tmp_path, clock, apply_rate=3)
        yield services
        services.close()

    def attempt(self, talentos: TalentOS, vacancy_id: str, ip: str | None, n: int) -> str:
        form = Application(vacancy_id, f"Applicant {n}", f"a{n}@example.com")
        try:
            talentos.candidates.apply(public(ip), form)
        except RateLimited as error:
            return f"limited {error.retry_after}"
        return "ok"

    def test_past_the_rate_one_ip_waits_until_the_window_passes(
        self, talentos: TalentOS, vacancy_id: str, clock: FrozenClock
    ) -> None:
        """The fourth application within a minute is RateLimited with the seconds until the first
        leaves the window; after that wait one more is taken."""
        results = []
        for n in range(3):
            results.append(self.attempt(talentos, vacancy_id, "203.0.113.7", n))
            clock.advance(seconds=10)
        assert results == ["ok"] * 3
        assert self.attempt(talentos, vacancy_id, "203.0.113.7", 3) == "limited 31"
        clock.advance(seconds=30)
        assert self.attempt(talentos, vacancy_id, "203.0.113.7", 4) == "limited 1"
        clock.advance(seconds=1)
        assert self.attempt(talentos, vacancy_id, "203.0.113.7", 5) == "ok"
        assert self.attempt(talentos, vacancy_id, "203.0.113.7", 6) == "limited 10"
        assert vacancy_counters(talentos, vacancy_id) == (4, 0)

    def test_the_window_resets_completely(
        self, talentos: TalentOS, vacancy_id: str, clock: FrozenClock
    ) -> None:
        """A minute and a second after a burst, the full allowance is back."""
        for n in range(4):
            self.attempt(talentos, vacancy_id, "203.0.113.7", n)
        clock.advance(seconds=61)
        assert [self.attempt(talentos, vacancy_id, "203.0.113.7", n) for n in range(10, 14)] == [
            "ok",
            "ok",
            "ok",
            "limited 61",
        ]

    def test_refused_and_repeated_applications_count(
        self, talentos: TalentOS, vacancy_id: str
    ) -> None:
        """An invalid application and a dedup use up the allowance like a new candidate."""
        visitor = public("203.0.113.7")
        with pytest.raises(ValidationError):
            talentos.candidates.apply(visitor, Application(vacancy_id, "", "a@example.com"))
        talentos.candidates.apply(visitor, Application(vacancy_id, "A", "a@example.com"))
        talentos.candidates.apply(visitor, Application(vacancy_id, "A", "A@example.com"))
        with pytest.raises(RateLimited) as caught:
            talentos.candidates.apply(visitor, Application(vacancy_id, "B", "b@example.com"))
        assert caught.value.retry_after == 61
        assert vacancy_counters(talentos, vacancy_id) == (1, 0)

    def test_each_ip_has_its_own_allowance(self, talentos: TalentOS, vacancy_id: str) -> None:
        """A limited IP does not limit another, nor a caller with no IP (a Python program)."""
        for n in range(4):
            self.attempt(talentos, vacancy_id, "203.0.113.7", n)
        assert self.attempt(talentos, vacancy_id, "203.0.113.8", 10) == "ok"
        assert [self.attempt(talentos, vacancy_id, None, n) for n in range(20, 25)] == ["ok"] * 5

    def test_a_refused_application_writes_nothing(
        self, talentos: TalentOS, vacancy_id: str
    ) -> None:
        """A RateLimited application makes no candidate and writes no event."""
        for n in range(3):
            self.attempt(talentos, vacancy_id, "203.0.113.7", n)
        before = written(talentos)
        assert self.attempt(talentos, vacancy_id, "203.0.113.7", 3).startswith("limited")
        assert written(talentos) == before

    def test_a_rate_of_zero_is_no_limit(
        self, backend: str, tmp_path: Path, clock: FrozenClock
    ) -> None:
        """With `apply_rate` 0 one IP may apply any number of times."""
        (tmp_path / "zero").mkdir()
        with build(backend, tmp_path / "zero", clock, apply_rate=0) as unlimited:
            vacancy_id = open_vacancy(unlimited, sign_up(unlimited))
            results = {self.attempt(unlimited, vacancy_id, "203.0.113.7", n) for n in range(30)}
        assert results == {"ok"}
