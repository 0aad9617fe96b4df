"""What the pipeline service tests share: a tenant with a vacancy and its team, applicants,
readers of the audit chain and the outbox, and the role-table walk."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs

from talentos_core import (
    Actor,
    Forbidden,
    NewVacancy,
    Origin,
    PageRequest,
    Role,
    TalentOS,
    Unauthenticated,
)
from talentos_core.domain.audit import AuditEvent
from talentos_core.domain.candidates import Application, Candidate
from talentos_core.domain.interviews import NewInterview
from talentos_core.domain.offers import NewOffer, OfferPatch, OfferStatus
from talentos_core.domain.outbox import OutboxEvent
from talentos_core.roles import Operation
from talentos_core.testing import (
    FrozenClock,
    memory_talentos,
    sign_up,
    sqlite_talentos,
    teammate,
    test_settings,
)

TENANT = "acme-bank"
ADA = {"name": "Ada Lovelace", "email": "Ada.Lovelace@Example.com"}
ACCEPT = OfferPatch(status=OfferStatus.ACCEPTED)
INTERVIEW_AT = datetime(2026, 2, 1, 14, 0, tzinfo=UTC)


def build(backend: str, tmp_path: Path, clock: FrozenClock, **settings: Any) -> TalentOS:
    """TalentOS on ``backend`` with some settings changed (the ``talentos`` fixture's twin)."""
    if backend == "memory":
        return memory_talentos(clock=clock, settings=test_settings(**settings))
    path = str(tmp_path / "talentos.db")
    return sqlite_talentos(path, clock=clock, settings=test_settings(db=path, **settings))


def trail(talentos: TalentOS, tenant_id: str = TENANT) -> list[AuditEvent]:
    """The tenant's audit events, oldest first."""
    return list(talentos.store.reader().audit.stream(tenant_id))


def outbox(talentos: TalentOS, tenant_id: str = TENANT) -> list[OutboxEvent]:
    """The tenant's outbox events, oldest first (the last 200)."""
    page = talentos.store.reader().outbox.list(tenant_id, PageRequest(limit=200))
    return sorted(page.items, key=lambda event: event.id)


def written(talentos: TalentOS, tenant_id: str = TENANT) -> tuple[int, int]:
    """How many audit and outbox events the tenant has: unchanged means nothing was written."""
    events = sum(1 for _ in talentos.store.reader().audit.stream(tenant_id))
    queued = talentos.store.reader().outbox.list(tenant_id, PageRequest(limit=1)).total
    return events, queued


def types_since(talentos: TalentOS, before: tuple[int, int]) -> tuple[list[str], list[str]]:
    """The audit and outbox event types written since ``before`` (a :func:`written`)."""
    events, queued = before
    new_outbox = outbox(talentos)[queued:] if queued < 200 else []
    return [event.type for event in trail(talentos)[events:]], [e.type for e in new_outbox]


def serialized(event: AuditEvent | OutboxEvent) -> str:
    """Every field of ``event`` as text, case-folded: what a leak check searches."""
    return json.dumps(attrs.asdict(event), default=str, ensure_ascii=False).casefold()


def leaks(talentos: TalentOS, *needles: str, tenant_id: str = TENANT) -> list[str]:
    """The ``needles`` (names, emails) found anywhere in the tenant's audit chain or outbox."""
    texts = [serialized(event) for event in trail(talentos, tenant_id)]
    texts += [serialized(event) for event in outbox(talentos, tenant_id)]
    return sorted({n for n in needles for text in texts if n.casefold() in text})


def row(vacancy_id: str, name: str = "Bob Babbage", **extra: Any) -> dict[str, Any]:
    """An import row as the API takes it (camelCase keys)."""
    local = "".join(c for c in str(name).lower() if c.isalpha()) or "someone"
    email = extra.pop("email", f"{local}@example.com")
    return {"vacancyId": vacancy_id, "name": name, "email": email, **extra}


class Unreadable(Sequence[Any]):
    """``length`` rows that fail the test if any is read."""

    def __init__(self, length: int) -> None:
        self._length = length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: Any) -> Any:
        raise AssertionError("a row was read")


def public(ip: str | None = None) -> Actor:
    """A careers-site visitor, from ``ip`` when given (no IP: not rate-limited)."""
    return Actor.public(Origin(ip=ip))


def apply(
    talentos: TalentOS,
    vacancy_id: str,
    name: str = "Ada Lovelace",
    email: str = "ada@lovelace.example",
    **extra: Any,
) -> Candidate:
    """A public application; the candidate it made or found."""
    return talentos.candidates.apply(
        public(), Application(vacancy_id, name, email, **extra)
    ).candidate


def open_vacancy(talentos: TalentOS, admin: Actor, title: str = "Teller") -> str:
    return talentos.vacancies.create(admin, NewVacancy(title)).id


def offer_form(candidate: Candidate, **changes: Any) -> NewOffer:
    """An offer of 50,000 EUR to ``candidate`` on their vacancy, with ``changes``."""
    return attrs.evolve(NewOffer(candidate.id, candidate.vacancy_id, 50_000, "EUR"), **changes)


def interview_form(candidate: Candidate, **changes: Any) -> NewInterview:
    """An interview of ``candidate`` for their vacancy at :data:`INTERVIEW_AT`, with ``changes``."""
    form = NewInterview(candidate.id, candidate.vacancy_id, INTERVIEW_AT)
    return attrs.evolve(form, **changes)


def vacancy_counters(
    talentos: TalentOS, vacancy_id: str, tenant_id: str = TENANT
) -> tuple[int, int]:
    """The vacancy's ``(applicants, hired)`` as stored."""
    vacancy = talentos.store.reader().vacancies.get(tenant_id, vacancy_id)
    return vacancy.applicants, vacancy.hired


@contextmanager
def counting_transactions(talentos: TalentOS) -> Iterator[list[int]]:
    """Count the store's ``transaction()`` calls while inside; the list's length is the count."""
    store: Any = talentos.store
    original = store.transaction
    calls: list[int] = []

    def counted() -> Any:
        calls.append(1)
        return original()

    store.transaction = counted
    try:
        yield calls
    finally:
        del store.transaction


# -- the role table -----------------------------------------------------------------------

#: operation → a call performing it as ``actor``; ``admin`` (same tenant) prepares what it needs.
Walk = Callable[[TalentOS, Actor, Actor], Any]


def outcome(call: Callable[[], Any]) -> str:
    try:
        call()
    except Forbidden:
        return "forbidden"
    except Unauthenticated:
        return "unauthenticated"
    return "ok"


def walk_roles(
    talentos: TalentOS, team: dict[Role, Actor], operation: Operation, run: Walk
) -> None:
    """Exactly the roles the table lists for ``operation`` may ``run`` it; an anonymous caller
    is Unauthenticated."""
    admin = team[Role.ADMIN]
    outcomes = {
        role: outcome(lambda actor=actor: run(talentos, actor, admin))
        for role, actor in team.items()
    }
    assert outcomes == {role: "ok" if role in operation.roles else "forbidden" for role in Role}
    assert outcome(lambda: run(talentos, Actor.public(), admin)) == "unauthenticated"


def area(prefix: str) -> set[Operation]:
    """The role table's operations of one area (``"candidates."``)."""
    return {operation for operation in Operation if operation.value.startswith(prefix)}


def everyone(talentos: TalentOS) -> dict[Role, Actor]:
    """A signed-in user of every role in acme-bank (the admin signed it up)."""
    admin = sign_up(talentos)
    return {role: admin if role == Role.ADMIN else teammate(talentos, admin, role) for role in Role}
