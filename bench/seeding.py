"""Bench data: a tenant with vacancies, agencies and any number of candidates, made fast.

The tenant, its admin (with a session), the vacancies and the agencies are made through the
services, as a user would make them. Candidates are written straight through the SQLite
repository's own row mapping (``executemany`` in one transaction, so the search index is
filled by its triggers), with a realistic spread: names, stages and sources in the demo's
proportions, 1 to 6 skills drawn from the vacancy's role and beyond, times over two years.
The vacancies' ``applicants`` and ``hired`` counters are set to match.

Every figure depends only on ``seed``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs

from talentos_core import TalentOS
from talentos_core.backends.sqlite.pipeline import SQLiteCandidates
from talentos_core.demo import FIRST, LAST, LOCATIONS, ROLES, STAGE_WEIGHTS
from talentos_core.domain.actors import Actor
from talentos_core.domain.agencies import NewAgency
from talentos_core.domain.candidates import Candidate, ImportRow, Source, Stage
from talentos_core.domain.users import Signup
from talentos_core.domain.vacancies import NewVacancy, VacancyStatus
from talentos_core.settings import Settings

PASSWORD = "bench-password-1234"
#: Only signup hashes a password here; the cheapest allowed cost keeps seeding quick.
ARGON2 = "2,19456,1"
HISTORY = timedelta(days=730)
#: Sources in rough real-world proportions (per mille).
SOURCE_WEIGHTS = {
    Source.CAREERS: 450,
    Source.IMPORT: 200,
    Source.AGENCY: 150,
    Source.REFERRAL: 120,
    Source.MANUAL: 80,
}
ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
ALL_SKILLS = sorted({skill for _, skills in ROLES for skill in skills})


@attrs.frozen
class Seeded:
    """What :func:`seed_tenant` made."""

    tenant_id: str
    session_token: str
    vacancy_ids: list[str]
    candidates: int


def settings_for(db: str) -> Settings:
    return Settings.from_env({"TALENTOS_DB": db, "TALENTOS_ARGON2": ARGON2})


def seed_tenant(db: str, candidates: int, vacancies: int = 200, seed: int = 1) -> Seeded:
    """Create (and migrate) ``db`` and fill one tenant; see the module docstring."""
    rng = random.Random(seed)
    with TalentOS.open(settings_for(db)) as talentos:
        signed_in = talentos.auth.signup(
            Actor.public(), Signup("Bench Corp", "Bench Admin", "admin@bench.example", PASSWORD)
        )
        admin = talentos.auth.authenticate_session(signed_in.session_token)
        assert admin.tenant_id is not None
        vacancy_ids = [
            talentos.vacancies.create(admin, new_vacancy(number)).id for number in range(vacancies)
        ]
        agency_ids = [
            talentos.agencies.create(
                admin, NewAgency(f"Agency {number}", f"desk{number}@agency.example", 15.0)
            ).id
            for number in range(5)
        ]
        rows = (
            SQLiteCandidates._row(candidate)
            for candidate in generate(admin.tenant_id, vacancy_ids, agency_ids, candidates, rng)
        )
        write_candidates(talentos, rows)
    return Seeded(admin.tenant_id, signed_in.session_token, vacancy_ids, candidates)


def new_vacancy(number: int) -> NewVacancy:
    title, skills = ROLES[number % len(ROLES)]
    return NewVacancy(
        f"{title} {number}",
        description=f"Join team {number % 7} as a {title.lower()}.",
        location=LOCATIONS[number % len(LOCATIONS)],
        skills=skills[:3],
        status=VacancyStatus.OPEN,
    )


def generate(
    tenant_id: str,
    vacancy_ids: list[str],
    agency_ids: list[str],
    count: int,
    rng: random.Random,
) -> Iterator[Candidate]:
    """``count`` candidates, oldest first, spread evenly over :data:`HISTORY`."""
    stages, stage_weights = list(STAGE_WEIGHTS), list(STAGE_WEIGHTS.values())
    sources, source_weights = list(SOURCE_WEIGHTS), list(SOURCE_WEIGHTS.values())
    start = datetime.now(UTC) - HISTORY
    step = HISTORY / max(count, 1)
    for number in range(count):
        vacancy = rng.randrange(len(vacancy_ids))
        first, last = rng.choice(FIRST), rng.choice(LAST)
        created = start + step * number + timedelta(seconds=rng.random())
        stage = rng.choices(stages, stage_weights)[0]
        source = rng.choices(sources, source_weights)[0]
        moved = created + timedelta(days=rng.uniform(0, 30)) if stage != Stage.APPLIED else created
        yield Candidate(
            id="cand_" + "".join(rng.choices(ID_ALPHABET, k=20)),
            tenant_id=tenant_id,
            vacancy_id=vacancy_ids[vacancy],
            name=f"{first} {last}",
            email=f"{first}.{last}.{number}@mail.example".lower(),
            created_at=created,
            updated_at=moved,
            stage_changed_at=moved,
            phone=f"+44 20 {number:08d}" if rng.random() < 0.7 else None,
            location=rng.choice(LOCATIONS) if rng.random() < 0.8 else None,
            experience=rng.randint(0, 25) if rng.random() < 0.9 else None,
            skills=skills_for(vacancy, rng),
            stage=stage,
            source=source,
            agency_id=rng.choice(agency_ids) if source == Source.AGENCY else None,
            notes="Strong referral." if source == Source.REFERRAL else None,
            hired_at=moved if stage == Stage.HIRED else None,
        )


def skills_for(vacancy: int, rng: random.Random) -> list[str]:
    """1 to 4 skills of the vacancy's role, 0 to 2 from any role."""
    own = ROLES[vacancy % len(ROLES)][1]
    picked = rng.sample(own, rng.randint(1, 4)) + rng.sample(ALL_SKILLS, rng.randint(0, 2))
    return list(dict.fromkeys(picked))


def write_candidates(talentos: TalentOS, rows: Iterator[dict[str, Any]]) -> None:
    """Insert the rows in one transaction and set the vacancies' counters to match."""
    with talentos.store.transaction() as uow:
        connection = uow.candidates._c
        first = next(rows, None)
        if first is not None:
            columns = list(first)
            sql = (
                f"INSERT INTO candidates ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})"
            )
            connection.execute(sql, tuple(first.values()))
            connection.executemany(sql, (tuple(row.values()) for row in rows))
        connection.execute(
            "UPDATE vacancies SET "
            "applicants = (SELECT COUNT(*) FROM candidates c WHERE c.vacancy_id = vacancies.id), "
            "hired = (SELECT COUNT(*) FROM candidates c "
            "WHERE c.vacancy_id = vacancies.id AND c.stage = 'hired')"
        )


def import_rows(
    vacancy_ids: list[str], count: int, seed: int = 2, tag: str = "imported"
) -> list[ImportRow]:
    """``count`` import rows for new candidates, spread over the vacancies; ``tag`` keeps
    their emails apart from other batches'."""
    rng = random.Random(seed)
    rows = []
    for number in range(count):
        vacancy = rng.randrange(len(vacancy_ids))
        first, last = rng.choice(FIRST), rng.choice(LAST)
        rows.append(
            ImportRow(
                vacancy_ids[vacancy],
                f"{first} {last}",
                f"{first}.{last}.{tag}{number}@mail.example".lower(),
                phone=f"+44 20 {number:08d}",
                location=rng.choice(LOCATIONS),
                experience=rng.randint(0, 25),
                skills=skills_for(vacancy, rng),
            )
        )
    return rows


def as_json(row: ImportRow) -> dict[str, Any]:
    """``row`` as the JSON object ``POST /api/candidates/import`` takes."""
    return {
        "vacancyId": row.vacancy_id,
        "name": row.name,
        "email": row.email,
        "phone": row.phone,
        "location": row.location,
        "experience": row.experience,
        "skills": row.skills,
    }
