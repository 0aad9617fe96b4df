"""A demo company to explore at once: ``talentos demo`` (and :func:`load_demo` for programs).

Everything is made through the services, as a user would make it, so the counters, the audit
chain and the webhook outbox are exactly what real use leaves behind. The content depends only
on the seed (ids and hashes are random as always); times spread over the last months, played
forward by a clock that starts in the past and never passes the present.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs

from talentos_core.bootstrap import TalentOS
from talentos_core.domain.actors import Actor
from talentos_core.domain.agencies import NewAgency
from talentos_core.domain.candidates import Application, CandidatePatch, ImportRow, Source, Stage
from talentos_core.domain.interviews import (
    InterviewKind,
    InterviewPatch,
    InterviewStatus,
    NewInterview,
    NewScorecard,
    Recommendation,
)
from talentos_core.domain.offers import NewOffer, OfferPatch, OfferStatus
from talentos_core.domain.subsidiaries import NewSubsidiary
from talentos_core.domain.users import AcceptInvite, InviteRequest, Signup
from talentos_core.domain.vacancies import (
    EmploymentType,
    Level,
    NewVacancy,
    VacancyPatch,
    VacancyStatus,
)
from talentos_core.roles import Role
from talentos_core.settings import Settings

COMPANY = "Northwind Bank"
HISTORY = timedelta(days=120)
FIRST = [
    "Ada",
    "Kwame",
    "Amara",
    "Chen",
    "Sofia",
    "Tunde",
    "Priya",
    "Lars",
    "Fatima",
    "Diego",
    "Yuki",
    "Nia",
    "Omar",
    "Elena",
    "Kofi",
    "Mei",
    "Ibrahim",
    "Zara",
    "Mateo",
    "Aisha",
    "Jonas",
    "Leila",
    "Sipho",
    "Hana",
    "Emeka",
    "Ingrid",
    "Ravi",
    "Chioma",
    "Pablo",
    "Noor",
]
LAST = [
    "Okafor",
    "Mensah",
    "Nwosu",
    "Wang",
    "Rossi",
    "Adeyemi",
    "Sharma",
    "Berg",
    "Haddad",
    "García",
    "Tanaka",
    "Kariuki",
    "Farouk",
    "Petrova",
    "Boateng",
    "Lin",
    "Diallo",
    "Khan",
    "Silva",
    "Bello",
    "Schmidt",
    "Haddadi",
    "Dlamini",
    "Sato",
    "Eze",
    "Larsen",
    "Iyer",
    "Obi",
    "Moreno",
    "Rahman",
]
ROLES = [
    ("Backend Engineer", ["Go", "PostgreSQL", "Kubernetes", "gRPC", "Python"]),
    ("Frontend Engineer", ["TypeScript", "React", "CSS", "Accessibility", "Vite"]),
    ("Data Analyst", ["SQL", "Python", "dbt", "Looker", "Statistics"]),
    ("Risk Analyst", ["Credit risk", "Excel", "Basel III", "SQL", "Modelling"]),
    ("Product Manager", ["Discovery", "Roadmapping", "Payments", "Analytics", "Writing"]),
    ("Compliance Officer", ["AML", "KYC", "Regulation", "Audit", "Reporting"]),
    ("Customer Success Lead", ["Onboarding", "CRM", "Negotiation", "Training", "Zendesk"]),
    ("Security Engineer", ["Threat modelling", "AWS", "SIEM", "Python", "Incident response"]),
]
LOCATIONS = ["Lagos", "Accra", "Nairobi", "London", "Berlin", "Remote"]
#: Where a candidate ends up, and how often (per mille): most never pass screening.
STAGE_WEIGHTS = {
    Stage.APPLIED: 330,
    Stage.SCREENING: 200,
    Stage.INTERVIEW: 150,
    Stage.OFFER: 90,
    Stage.HIRED: 70,
    Stage.REJECTED: 130,
    Stage.WITHDRAWN: 30,
}
#: Vacancy statuses in the order they are given out (20 vacancies, every status).
VACANCY_STATUSES = (
    [VacancyStatus.OPEN] * 12
    + [VacancyStatus.ON_HOLD] * 2
    + [VacancyStatus.CLOSED] * 3
    + [VacancyStatus.DRAFT] * 3
)


@attrs.frozen
class DemoLogin:
    """One account of the demo company."""

    role: Role
    name: str
    email: str
    password: str = attrs.field(repr=False)


@attrs.frozen
class DemoReport:
    """What :func:`load_demo` made, and how to sign in to it."""

    tenant_id: str
    logins: list[DemoLogin]
    vacancies: int
    candidates: int
    offers: int
    interviews: int


class HistoryClock:
    """Starts ``HISTORY`` ago and moves only when told to, never past the real present."""

    def __init__(self) -> None:
        self._real = lambda: datetime.now(UTC)
        self._now = self._real() - HISTORY

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now = min(self._now + delta, self._real())


def load_demo(settings: Settings, seed: int = 1) -> DemoReport:
    """Create the demo company in the database ``settings`` names; see the module docstring.

    Raises :class:`EmailTaken` when this seed's demo is already there.
    """
    clock = HistoryClock()
    with TalentOS.open(settings, clock=clock) as talentos:
        return populate(talentos, clock, seed)


def populate(talentos: TalentOS, clock: HistoryClock, seed: int = 1) -> DemoReport:
    """Create the demo company in ``talentos``, which must run on ``clock``."""
    return _Builder(talentos, clock, random.Random(seed), seed).build()


class _Builder:
    def __init__(
        self, talentos: TalentOS, clock: HistoryClock, rng: random.Random, seed: int
    ) -> None:
        self.t = talentos
        self.clock = clock
        self.rng = rng
        self.domain = f"northwind{'' if seed == 1 else f'-{seed}'}.example"
        self.counts = {"vacancies": 0, "candidates": 0, "offers": 0, "interviews": 0}

    def tick(self, hours: float = 3) -> None:
        self.clock.advance(timedelta(hours=self.rng.uniform(0.2, hours)))

    def build(self) -> DemoReport:
        admin, logins = self._team()
        team_names = [login.name for login in logins]
        subsidiaries = [
            self.t.subsidiaries.create(admin, NewSubsidiary(name, country, code)).id
            for name, country, code in (
                ("Northwind Nigeria", "Nigeria", "NG"),
                ("Northwind Kenya", "Kenya", "KE"),
                ("Northwind Europe", "Germany", "EU"),
            )
        ]
        agencies = [
            self.t.agencies.create(admin, NewAgency(name, email, fee)).id
            for name, email, fee in (
                ("TalentBridge Partners", f"desk@talentbridge.{self.domain}", 18.0),
                ("Savanna Search", f"hello@savanna.{self.domain}", 15.5),
            )
        ]
        for status in VACANCY_STATUSES:
            self.tick(30)
            self._vacancy(admin, status, self.rng.choice(subsidiaries), agencies, team_names)
        assert admin.tenant_id is not None
        return DemoReport(admin.tenant_id, logins, **self.counts)

    def _team(self) -> tuple[Actor, list[DemoLogin]]:
        password = "northwind-demo"
        admin_login = DemoLogin(Role.ADMIN, "Ada Okafor", f"admin@{self.domain}", password)
        signed_in = self.t.auth.signup(
            Actor.public(), Signup(COMPANY, admin_login.name, admin_login.email, password)
        )
        admin = self.t.auth.authenticate_session(signed_in.session_token)
        logins = [admin_login]
        for role, name in (
            (Role.CHRO, "Chen Wang"),
            (Role.RECRUITER, "Sofia Rossi"),
            (Role.HIRING_MANAGER, "Tunde Adeyemi"),
            (Role.INTERVIEWER, "Priya Sharma"),
            (Role.AGENCY_ADMIN, "Lars Berg"),
        ):
            email = f"{role.value.replace('_', '-')}@{self.domain}"
            issued = self.t.auth.invite(admin, InviteRequest(email, name, role))
            token = issued.invite_url.rsplit("token=", 1)[1]
            self.t.auth.accept_invite(Actor.public(), AcceptInvite(token, password))
            logins.append(DemoLogin(role, name, email, password))
        return admin, logins

    def _vacancy(
        self,
        admin: Actor,
        status: VacancyStatus,
        subsidiary_id: str,
        agencies: list[str],
        team: list[str],
    ) -> None:
        title, skills = self.rng.choice(ROLES)
        level = self.rng.choice([Level.JUNIOR, Level.MID, Level.SENIOR, Level.LEAD])
        form = NewVacancy(
            f"{level.value.title()} {title}",
            description=f"Join {COMPANY} as a {title.lower()}: {', '.join(skills[:3])}.",
            location=self.rng.choice(LOCATIONS),
            level=level,
            employment_type=self.rng.choice(list(EmploymentType)[:3]),
            skills=skills[:3],
            status=VacancyStatus.DRAFT if status == VacancyStatus.DRAFT else VacancyStatus.OPEN,
            subsidiary_id=subsidiary_id,
        )
        vacancy = self.t.vacancies.create(admin, form)
        self.counts["vacancies"] += 1
        if status == VacancyStatus.DRAFT:
            return
        for _ in range(self.rng.randint(8, 24)):
            self.tick()
            self._candidate(admin, vacancy.id, skills, agencies, team)
        if status != VacancyStatus.OPEN:
            self.t.vacancies.update(admin, vacancy.id, VacancyPatch(status=status))

    def _candidate(
        self, admin: Actor, vacancy_id: str, skills: list[str], agencies: list[str], team: list[str]
    ) -> None:
        rng = self.rng
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        email = f"{name.lower().replace(' ', '.')}.{rng.randint(1, 9999)}@mail.example"
        email = email.replace("í", "i").replace("ó", "o")
        details: dict[str, Any] = {
            "phone": f"+{rng.randint(20, 49)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            "location": rng.choice(LOCATIONS),
            "experience": rng.randint(0, 15),
            "skills": rng.sample(skills, rng.randint(1, len(skills))),
        }
        if rng.random() < 0.6:
            applied = self.t.candidates.apply(
                Actor.public(), Application(vacancy_id, name, email, **details)
            )
            candidate = applied.candidate
            if applied.dedup:
                return
        else:
            result = self.t.candidates.import_rows(
                admin, [ImportRow(vacancy_id, name, email, **details)]
            )
            assert admin.tenant_id is not None
            found = self.t.store.reader().candidates.find_by_email(
                admin.tenant_id, vacancy_id, email
            )
            if not result.created or found is None:
                return
            candidate = found
        self.counts["candidates"] += 1
        source = rng.choice([None, None, Source.REFERRAL, Source.AGENCY, Source.MANUAL])
        if source is not None:
            agency = rng.choice(agencies) if source == Source.AGENCY else None
            self.t.candidates.update(
                admin, candidate.id, CandidatePatch(source=source, agency_id=agency)
            )
        target = rng.choices(list(STAGE_WEIGHTS), weights=list(STAGE_WEIGHTS.values()))[0]
        self._progress(admin, candidate.id, vacancy_id, target, team)

    def _progress(
        self, admin: Actor, candidate_id: str, vacancy_id: str, target: Stage, team: list[str]
    ) -> None:
        def move(stage: Stage) -> None:
            self.t.candidates.update(admin, candidate_id, CandidatePatch(stage=stage))

        if target == Stage.APPLIED:
            return
        self.tick()
        move(Stage.SCREENING)
        reached_interview = target in (Stage.INTERVIEW, Stage.OFFER, Stage.HIRED) or (
            target in (Stage.REJECTED, Stage.WITHDRAWN) and self.rng.random() < 0.5
        )
        if reached_interview:
            self.tick(24)
            move(Stage.INTERVIEW)
            self._interviews(admin, candidate_id, vacancy_id, team, done=target != Stage.INTERVIEW)
        if target in (Stage.OFFER, Stage.HIRED):
            self.tick(48)
            move(Stage.OFFER)
            self._offer(admin, candidate_id, vacancy_id, hired=target == Stage.HIRED)
        elif target in (Stage.REJECTED, Stage.WITHDRAWN):
            self.tick(48)
            move(target)

    def _interviews(
        self, admin: Actor, candidate_id: str, vacancy_id: str, team: list[str], *, done: bool
    ) -> None:
        for round_number in range(self.rng.randint(1, 2)):
            self.tick(24)
            when = self.clock.now() + timedelta(days=self.rng.randint(1, 5), hours=round_number)
            form = NewInterview(
                candidate_id,
                vacancy_id,
                when.replace(minute=0, second=0, microsecond=0),
                duration_min=self.rng.choice([30, 45, 60, 90]),
                kind=self.rng.choice(list(InterviewKind)),
                interviewers=self.rng.sample(team[1:], 2),
            )
            interview = self.t.interviews.schedule(admin, form)
            self.counts["interviews"] += 1
            if not done and self.rng.random() < 0.5:
                continue
            for interviewer in interview.interviewers:
                card = NewScorecard(
                    interviewer,
                    self.rng.randint(40, 95),
                    self.rng.choice(list(Recommendation)),
                    notes="Clear communicator; solid fundamentals.",
                )
                self.t.interviews.update(admin, interview.id, InterviewPatch(add_scorecard=card))
            self.t.interviews.update(
                admin, interview.id, InterviewPatch(status=InterviewStatus.COMPLETED)
            )

    def _offer(self, admin: Actor, candidate_id: str, vacancy_id: str, *, hired: bool) -> None:
        base = float(self.rng.randrange(30_000, 150_000, 1_000))
        start = (self.clock.now() + timedelta(days=30)).date().isoformat()
        offer = self.t.offers.create(
            admin,
            NewOffer(candidate_id, vacancy_id, base, "USD", bonus=base * 0.1, start_date=start),
        )
        self.counts["offers"] += 1
        self.tick(24)
        if hired:
            final = [OfferStatus.SENT, OfferStatus.ACCEPTED]
        else:
            final = self.rng.choice(
                [
                    [],
                    [OfferStatus.SENT],
                    [OfferStatus.SENT, OfferStatus.DECLINED],
                    [OfferStatus.WITHDRAWN],
                ]
            )
        for status in final:
            self.tick(24)
            self.t.offers.update(admin, offer.id, OfferPatch(status=status))
