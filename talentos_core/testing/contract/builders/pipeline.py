"""Pipeline builders: the smallest valid candidate, offer and interview, and one of each with
every field set."""

from __future__ import annotations

from typing import Any

import attrs

from talentos_core.domain.candidates import Candidate, Source, Stage
from talentos_core.domain.interviews import (
    Interview,
    InterviewKind,
    InterviewStatus,
    Recommendation,
    Scorecard,
)
from talentos_core.domain.offers import Offer, OfferStatus
from talentos_core.ports import Store
from talentos_core.testing.contract._support import ACME, GLOBEX, T0, at
from talentos_core.testing.contract.builders.hiring import make_vacancy
from talentos_core.testing.contract.builders.identity import seed
from talentos_core.testing.contract.builders.organisation import make_agency


def make_candidate(
    candidate_id: str, vacancy_id: str = "vac_1", tenant_id: str = ACME, **fields: Any
) -> Candidate:
    base = Candidate(
        id=candidate_id,
        tenant_id=tenant_id,
        vacancy_id=vacancy_id,
        name=candidate_id,
        email=f"{candidate_id}@example.com",
        created_at=T0,
        updated_at=T0,
        stage_changed_at=T0,
    )
    return attrs.evolve(base, **fields)


def full_candidate(
    candidate_id: str = "cand_full", vacancy_id: str = "vac_full", agency_id: str = "agy_full"
) -> Candidate:
    return Candidate(
        id=candidate_id,
        tenant_id=ACME,
        vacancy_id=vacancy_id,
        name="Zoë Ünïcode 山田",
        email="Zoë.Ünï@Example.COM",
        created_at=at(11),
        updated_at=at(12.000001),
        stage_changed_at=at(13.5),
        phone="+41 44 123 45 67",
        location="Zürich — Kreis 5",
        experience=12,
        skills=["Python", "Ünï-Skill ✓", "日本語", 'C++ "modern"'],
        stage=Stage.HIRED,
        source=Source.AGENCY,
        agency_id=agency_id,
        resume_upload_id="upl_full",
        notes='Notes: "quoted" — €\nsecond line 🚀',
        hired_at=at(14.999999),
    )


def make_offer(
    offer_id: str,
    candidate_id: str = "cand_1",
    vacancy_id: str = "vac_1",
    tenant_id: str = ACME,
    **fields: Any,
) -> Offer:
    base = Offer(
        id=offer_id,
        tenant_id=tenant_id,
        candidate_id=candidate_id,
        vacancy_id=vacancy_id,
        currency="EUR",
        created_at=T0,
        updated_at=T0,
        base_salary=50_000.0,
    )
    return attrs.evolve(base, **fields)


def full_offer(
    offer_id: str = "ofr_full", candidate_id: str = "cand_full", vacancy_id: str = "vac_full"
) -> Offer:
    return Offer(
        id=offer_id,
        tenant_id=ACME,
        candidate_id=candidate_id,
        vacancy_id=vacancy_id,
        currency="CHF",
        created_at=at(21),
        updated_at=at(22.000001),
        base_salary=123_456.78,
        bonus=10_000.5,
        sign_on_bonus=0.25,
        start_date="2026-05-01",
        status=OfferStatus.ACCEPTED,
        decision="Angenommen — merci ✓",
        notes='Relocation: "Zürich" 🚀\n2nd line',
        sent_at=at(23.5),
        decided_at=at(24.999999),
        created_by="usr_9",
    )


def make_interview(
    interview_id: str,
    candidate_id: str = "cand_1",
    vacancy_id: str = "vac_1",
    tenant_id: str = ACME,
    **fields: Any,
) -> Interview:
    base = Interview(
        id=interview_id,
        tenant_id=tenant_id,
        candidate_id=candidate_id,
        vacancy_id=vacancy_id,
        scheduled_at=T0,
        duration_min=60,
        kind=InterviewKind.VIDEO,
        created_at=T0,
        updated_at=T0,
    )
    return attrs.evolve(base, **fields)


def full_interview(
    interview_id: str = "iv_full", candidate_id: str = "cand_full", vacancy_id: str = "vac_full"
) -> Interview:
    return Interview(
        id=interview_id,
        tenant_id=ACME,
        candidate_id=candidate_id,
        vacancy_id=vacancy_id,
        scheduled_at=at(3600.000001),
        duration_min=90,
        kind=InterviewKind.PANEL,
        created_at=at(31),
        updated_at=at(32.5),
        status=InterviewStatus.COMPLETED,
        location_or_url="https://meet.example/ü?room=1&x=ÿ",
        interviewers=["Zoë Ünï", "山田 太郎", "Bob"],
        scorecards=[
            Scorecard(
                "Zoë Ünï", 87, Recommendation.STRONG_HIRE, 'Great — "sharp" 👍', at(7200.000001)
            ),
            Scorecard("山田 太郎", 0, Recommendation.STRONG_NO_HIRE),
            Scorecard("Bob", 100, Recommendation.NO_DECISION, "", at(7300)),
        ],
        notes="Panel: 3 people\n— ✓",
        completed_at=at(7201.25),
        created_by="usr_9",
    )


def seed_pipeline(store: Store, *candidates: Candidate) -> None:
    """Tenants acme and globex, acme's vacancies ``vac_1`` and ``vac_2`` and agency ``agy_1``,
    globex's vacancy ``vac_9`` and agency ``agy_9``; then ``candidates``."""
    seed(store)
    with store.transaction() as uow:
        for agency in (make_agency("agy_1"), make_agency("agy_9", tenant_id=GLOBEX)):
            uow.agencies.add(agency)
        for vacancy_id, tenant_id in (("vac_1", ACME), ("vac_2", ACME), ("vac_9", GLOBEX)):
            uow.vacancies.add(make_vacancy(vacancy_id, tenant_id=tenant_id))
        for candidate in candidates:
            uow.candidates.add(candidate)
