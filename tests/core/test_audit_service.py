"""The audit trail through the Python API: one event per change, client events, CSV, verify (§7)."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import attrs
import pytest

from talentos_core import (
    AcceptInvite,
    Actor,
    AuditEvent,
    AuditFilter,
    ClientEvent,
    Credentials,
    Forbidden,
    InvalidCredentials,
    InviteRequest,
    NewApiKey,
    NewVacancy,
    Origin,
    Role,
    Signup,
    TalentOS,
    TenantPatch,
    VacancyPatch,
    VacancyStatus,
    ValidationError,
)
from talentos_core.domain.audit import AI_CALL, GENESIS_HASH, ChainHead
from talentos_core.ports import Store, UnitOfWork
from talentos_core.services.base import Transaction
from talentos_core.testing import DEFAULT_PASSWORD, sign_up, teammate

#: The contract's CSV columns, in its order (CONTRACT §7).
CONTRACT_COLUMNS = [
    "id", "ts", "tenant_id", "type", "actor_type", "actor_id", "actor_email", "actor_role",
    "entity_type", "entity_id", "summary", "ip", "user_agent", "request_id", "cost_usd",
    "prev_hash", "hash",
]  # fmt: skip
ADMIN_EMAIL = "admin@acme-bank.example"


def chain(talentos: TalentOS, tenant_id: str = "acme-bank") -> list[AuditEvent]:
    """The tenant's events, oldest first."""
    return list(talentos.store.reader().audit.stream(tenant_id))


def export_rows(talentos: TalentOS, actor: Actor) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(talentos.audit.export_csv(actor)))))


class World:
    """A tenant being used: each step below changes one thing in it."""

    def __init__(self, talentos: TalentOS) -> None:
        self.t = talentos
        self.values: dict[str, Any] = {}

    @property
    def admin(self) -> Actor:
        return self.t.auth.authenticate_session(self.values["session"])


def _signup(w: World) -> None:
    w.values["session"] = w.t.auth.signup(
        Actor.public(), Signup("Acme Bank", "Ada", ADMIN_EMAIL, DEFAULT_PASSWORD)
    ).session_token


def _login(w: World) -> None:
    w.values["second"] = w.t.auth.login(
        Actor.public(), Credentials(ADMIN_EMAIL, DEFAULT_PASSWORD)
    ).session_token


def _failed_login(w: World) -> None:
    with pytest.raises(InvalidCredentials):
        w.t.auth.login(Actor.public(), Credentials(ADMIN_EMAIL, "wrong password"))


def _logout(w: World) -> None:
    w.t.auth.logout(w.t.auth.authenticate_session(w.values["second"]))


def _invite(w: World) -> None:
    issued = w.t.auth.invite(w.admin, InviteRequest("r@acme-bank.example", "R", Role.RECRUITER))
    w.values["invite"] = issued.invite_url.rsplit("token=", 1)[1]


def _accept(w: World) -> None:
    w.t.auth.accept_invite(Actor.public(), AcceptInvite(w.values["invite"], DEFAULT_PASSWORD))


def _mint(w: World) -> None:
    w.values["key"] = w.t.api_keys.mint(w.admin, NewApiKey("ci"))


def _revoke(w: World) -> None:
    w.t.api_keys.revoke(w.admin, w.values["key"].key.id)


def _create(w: World) -> None:
    w.values["vacancy"] = w.t.vacancies.create(w.admin, NewVacancy("Teller")).id


def _update(w: World) -> None:
    w.t.vacancies.update(w.admin, w.values["vacancy"], VacancyPatch(title="Clerk"))


def _delete(w: World) -> None:
    w.t.vacancies.delete(w.admin, w.values["vacancy"])


def _brand(w: World) -> None:
    w.t.tenants.update(w.admin, TenantPatch(tagline="We count."))


def _client(w: World) -> None:
    w.t.audit.record(w.admin, ClientEvent("report.downloaded"))


#: Every state change the services offer today, in an order that works, and its event type.
STEPS: list[tuple[str, Callable[[World], None]]] = [
    ("tenant.created", _signup),
    ("auth.login", _login),
    ("auth.login_failed", _failed_login),
    ("auth.logout", _logout),
    ("tenant.updated", _brand),
    ("user.invited", _invite),
    ("user.invite_accepted", _accept),
    ("api_key.created", _mint),
    ("api_key.revoked", _revoke),
    ("vacancy.created", _create),
    ("vacancy.updated", _update),
    ("vacancy.deleted", _delete),
    ("client.report.downloaded", _client),
]


class TestOneEventPerChange:
    def test_each_change_appends_exactly_one_event(self, talentos: TalentOS) -> None:
        """Every state change appends one event of its type, and nothing else."""
        world, seen = World(talentos), []
        for expected_type, step in STEPS:
            step(world)
            seen.append((expected_type, [event.type for event in chain(talentos)]))
        assert [types[-1] for _, types in seen] == [expected for expected, _ in seen]
        assert [len(types) for _, types in seen] == list(range(1, len(STEPS) + 1))

    def test_seq_counts_from_one_without_gaps(self, talentos: TalentOS) -> None:
        """A tenant's events are numbered 1, 2, 3 … and each links to the one before."""
        world = World(talentos)
        for _, step in STEPS:
            step(world)
        events = chain(talentos)
        assert [event.seq for event in events] == list(range(1, len(STEPS) + 1))
        assert [event.prev_hash for event in events] == [
            GENESIS_HASH,
            *(event.hash for event in events[:-1]),
        ]

    def test_each_tenant_has_its_own_sequence(self, talentos: TalentOS) -> None:
        """A second tenant's chain starts at seq 1, whatever the first one holds."""
        acme = sign_up(talentos)
        for _ in range(3):
            talentos.audit.record(acme, ClientEvent("ping"))
        sign_up(talentos, "Other Co")
        assert [event.seq for event in chain(talentos, "other-co")] == [1]
        assert [event.seq for event in chain(talentos, "acme-bank")] == [1, 2, 3, 4]

    def test_changes_that_change_nothing_record_nothing(self, talentos: TalentOS) -> None:
        """Empty patches, re-opening an open vacancy, re-revoking and refused calls add no event."""
        admin = sign_up(talentos)
        recruiter = teammate(talentos, admin, Role.RECRUITER)
        vacancy = talentos.vacancies.create(admin, NewVacancy("Teller"))
        key = talentos.api_keys.mint(admin, NewApiKey("ci")).key
        talentos.api_keys.revoke(admin, key.id)
        before = len(chain(talentos))
        talentos.vacancies.update(admin, vacancy.id, VacancyPatch())
        talentos.vacancies.update(admin, vacancy.id, VacancyPatch(status=VacancyStatus.OPEN))
        talentos.tenants.update(admin, TenantPatch(name="Acme Bank"))
        talentos.api_keys.revoke(admin, key.id)
        with pytest.raises(ValidationError):
            talentos.vacancies.create(admin, NewVacancy(""))
        with pytest.raises(Forbidden):
            talentos.api_keys.mint(recruiter, NewApiKey("k"))
        assert len(chain(talentos)) == before

    def test_events_say_who_acted_and_from_where(self, talentos: TalentOS) -> None:
        """An event records the actor's type, id, email, role and request origin."""
        admin = sign_up(talentos)
        origin = Origin(ip="203.0.113.9", user_agent="pytest", request_id="req-1")
        event = talentos.audit.record(admin.with_origin(origin), ClientEvent("ping"))
        assert (event.actor_type, event.actor_id, event.actor_email, event.actor_role) == (
            "user",
            admin.id,
            ADMIN_EMAIL,
            "admin",
        )
        assert (event.ip, event.user_agent, event.request_id) == ("203.0.113.9", "pytest", "req-1")

    def test_an_api_key_is_recorded_as_the_actor(self, talentos: TalentOS) -> None:
        """A change made with an API key is attributed to the key, with its role."""
        raw = talentos.api_keys.mint(sign_up(talentos), NewApiKey("ci", Role.RECRUITER)).raw_token
        key_actor = talentos.auth.authenticate_api_key(raw)
        event = talentos.audit.record(key_actor, ClientEvent("ping"))
        assert (event.actor_type, event.actor_id, event.actor_role) == (
            "api_key",
            key_actor.id,
            "recruiter",
        )

    def test_a_failed_login_is_recorded_as_public(self, talentos: TalentOS) -> None:
        """A failed login for a known email lands in the user's tenant, by a public actor."""
        admin = sign_up(talentos)
        with pytest.raises(InvalidCredentials):
            talentos.auth.login(Actor.public(), Credentials(ADMIN_EMAIL, "wrong password"))
        last = chain(talentos)[-1]
        assert (last.type, last.actor_type, last.entity_id) == (
            "auth.login_failed",
            "public",
            admin.id,
        )
        assert "wrong password" not in repr(attrs.asdict(last))


class TestClientEvents:
    def test_client_events_are_prefixed(self, talentos: TalentOS) -> None:
        """A client's event type is stored as `client.<type>`, so it cannot pose as the server's."""
        admin = sign_up(talentos)
        event = talentos.audit.record(
            admin, ClientEvent("vacancy.created", "vacancy", "vac_x", "Looks real", {"a": 1})
        )
        assert event.type == "client.vacancy.created"
        assert (event.entity_type, event.entity_id, event.summary, event.data) == (
            "vacancy",
            "vac_x",
            "Looks real",
            {"a": 1},
        )
        assert talentos.audit.list(admin, AuditFilter(type="client.vacancy.created")).total == 1
        assert talentos.audit.list(admin, AuditFilter(type="vacancy.created")).total == 0

    @pytest.mark.parametrize(
        "type_", ["", "Bad Type", "UPPER", "trailing.", ".leading", "a..b", "x" * 65, "é"]
    )
    def test_a_bad_type_is_a_validation_error(self, talentos: TalentOS, type_: str) -> None:
        """A type that is not lower-case words joined by dots (1-64 chars) names `type`."""
        admin = sign_up(talentos)
        before = len(chain(talentos))
        with pytest.raises(ValidationError) as caught:
            talentos.audit.record(admin, ClientEvent(type_))
        assert list(caught.value.fields) == ["type"]
        assert len(chain(talentos)) == before

    def test_data_over_16_kib_is_a_validation_error(self, talentos: TalentOS) -> None:
        """Client data larger than 16 KiB is refused, naming `data`; 16,000 bytes is fine."""
        admin = sign_up(talentos)
        with pytest.raises(ValidationError) as caught:
            talentos.audit.record(admin, ClientEvent("big", data={"blob": "x" * 16 * 1024}))
        assert list(caught.value.fields) == ["data"]
        event = talentos.audit.record(admin, ClientEvent("big", data={"blob": "x" * 16_000}))
        assert chain(talentos)[-1].data == event.data == {"blob": "x" * 16_000}

    def test_multibyte_data_counts_toward_the_limit(self, talentos: TalentOS) -> None:
        """6,000 three-byte characters (18,000 bytes of UTF-8) are over the 16 KiB limit."""
        with pytest.raises(ValidationError):
            talentos.audit.record(sign_up(talentos), ClientEvent("big", data={"t": "€" * 6000}))


class TestCsvExport:
    def test_columns_are_the_contracts_in_order(self, talentos: TalentOS) -> None:
        """The header row is the 17 contract columns in contract order."""
        rows = export_rows(talentos, sign_up(talentos))
        assert rows[0] == CONTRACT_COLUMNS
        assert len(rows[0]) == 17

    def test_one_row_per_event_oldest_first(self, talentos: TalentOS) -> None:
        """Each event is one row, in seq order, with its id, type, tenant and hashes."""
        admin = sign_up(talentos)
        for number in range(250):  # beyond one streamed chunk
            talentos.audit.record(admin, ClientEvent("ping", summary=f"line {number}\nbreak"))
        rows = export_rows(talentos, admin)[1:]
        events = chain(talentos)
        assert len(rows) == len(events) == 251
        assert [row[0] for row in rows] == [event.id for event in events]
        assert {len(row) for row in rows} == {17}
        last = dict(zip(CONTRACT_COLUMNS, rows[-1], strict=True))
        assert (last["tenant_id"], last["type"], last["summary"]) == (
            "acme-bank",
            "client.ping",
            "line 249\nbreak",
        )
        assert (last["prev_hash"], last["hash"]) == (events[-2].hash, events[-1].hash)

    def test_only_the_callers_tenant_is_exported(self, talentos: TalentOS) -> None:
        """Another tenant's events never appear in the export."""
        acme, other = sign_up(talentos), sign_up(talentos, "Other Co")
        talentos.audit.record(other, ClientEvent("theirs"))
        rows = export_rows(talentos, acme)[1:]
        assert {row[2] for row in rows} == {"acme-bank"}
        assert export_rows(talentos, other)[-1][3] == "client.theirs"

    @pytest.mark.parametrize("payload", ['=HYPERLINK("x")', "+1+1", "-2+3", "@SUM(A1)", "\tx"])
    def test_formula_looking_cells_are_defused(self, talentos: TalentOS, payload: str) -> None:
        """A cell that a spreadsheet would run as a formula is prefixed with a quote."""
        admin = sign_up(talentos)
        talentos.audit.record(
            admin, ClientEvent("ping", entity_type=payload, entity_id=payload, summary=payload)
        )
        row = dict(zip(CONTRACT_COLUMNS, export_rows(talentos, admin)[-1], strict=True))
        assert [row["entity_type"], row["entity_id"], row["summary"]] == ["'" + payload] * 3

    def test_plain_cells_are_left_alone(self, talentos: TalentOS) -> None:
        """Ordinary text is exported exactly as recorded."""
        admin = sign_up(talentos)
        talentos.audit.record(admin, ClientEvent("ping", summary="Report 1 = fine"))
        row = dict(zip(CONTRACT_COLUMNS, export_rows(talentos, admin)[-1], strict=True))
        assert row["summary"] == "Report 1 = fine"

    def test_cost_comes_from_an_ai_calls_data(self, talentos: TalentOS) -> None:
        """`cost_usd` holds an `ai.call` event's costUsd, and is empty for other events."""
        admin = sign_up(talentos)
        with talentos.store.transaction() as uow:
            Transaction(talentos.deps, uow, admin).record(
                AI_CALL, data={"feature": "chat", "costUsd": 0.0123}
            )
        rows = [
            dict(zip(CONTRACT_COLUMNS, row, strict=True))
            for row in export_rows(talentos, admin)[1:]
        ]
        assert [(row["type"], row["cost_usd"]) for row in rows] == [
            ("tenant.created", ""),
            ("ai.call", "0.0123"),
        ]

    @pytest.mark.parametrize("type_", ["ai.call", "spend", "ai_call"])
    def test_a_client_event_cannot_forge_spend(self, talentos: TalentOS, type_: str) -> None:
        """A client event carrying costUsd in its data leaves `cost_usd` empty."""
        admin = sign_up(talentos)
        talentos.audit.record(admin, ClientEvent(type_, data={"costUsd": 1_000_000}))
        last = dict(zip(CONTRACT_COLUMNS, export_rows(talentos, admin)[-1], strict=True))
        assert (last["type"], last["cost_usd"]) == (f"client.{type_}", "")

    @pytest.mark.parametrize(
        "role", [Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER, Role.AGENCY_ADMIN]
    )
    def test_roles_below_chro_cannot_export(self, talentos: TalentOS, role: Role) -> None:
        """A recruiter (or any role below chro) exporting the trail is Forbidden."""
        actor = teammate(talentos, sign_up(talentos), role)
        with pytest.raises(Forbidden):
            talentos.audit.export_csv(actor)

    def test_a_chro_can_export(self, talentos: TalentOS) -> None:
        """A CHRO may export the trail."""
        chro = teammate(talentos, sign_up(talentos), Role.CHRO)
        assert export_rows(talentos, chro)[0] == CONTRACT_COLUMNS


class TestVerification:
    def test_an_untouched_trail_verifies(self, talentos: TalentOS) -> None:
        """After every kind of change, each tenant's chain verifies up to its last event."""
        world = World(talentos)
        for _, step in STEPS:
            step(world)
        sign_up(talentos, "Other Co")
        verdicts = {verdict.tenant_id: verdict for verdict in talentos.audit.verify()}
        assert set(verdicts) == {"acme-bank", "other-co"}
        assert all(verdict.ok for verdict in verdicts.values())
        assert (verdicts["acme-bank"].events, verdicts["acme-bank"].last_seq) == (
            len(STEPS),
            len(STEPS),
        )
        assert verdicts["acme-bank"].last_hash == talentos.audit.head("acme-bank").hash

    def test_the_saved_head_is_checked(self, talentos: TalentOS) -> None:
        """Verifying against an operator's saved head passes, and fails for a wrong hash."""
        admin = sign_up(talentos)
        talentos.audit.record(admin, ClientEvent("ping"))
        head = talentos.audit.head("acme-bank")
        [good] = talentos.audit.verify("acme-bank", expect_seq=head.seq, expect_hash=head.hash)
        [bad] = talentos.audit.verify("acme-bank", expect_seq=head.seq, expect_hash="0" * 64)
        [ahead] = talentos.audit.verify("acme-bank", expect_seq=head.seq + 1)
        assert (good.ok, bad.ok, ahead.ok) == (True, False, False)
        assert bad.broken_seq == head.seq

    def test_an_event_committed_while_verifying_leaves_the_chain_ok(
        self, talentos: TalentOS, backend: str
    ) -> None:
        """An event committed by another thread right after verify reads the head, before it
        reads the events (a live installation), does not make the chain look broken."""
        admin = sign_up(talentos)
        talentos.audit.record(admin, ClientEvent("before"))
        committed = threading.Event()
        writer = threading.Thread(
            target=lambda: (talentos.audit.record(admin, ClientEvent("during")), committed.set())
        )

        def commit_meanwhile() -> None:
            writer.start()
            # SQLite lets the commit land now (WAL); the memory store holds it for the snapshot.
            committed.wait(timeout=0.5)

        hooked = AfterHeadRead(talentos.store, commit_meanwhile)
        [verdict] = TalentOS(attrs.evolve(talentos.deps, store=hooked)).audit.verify("acme-bank")
        landed_during_verify = committed.is_set()
        writer.join()
        assert (verdict.ok, verdict.events, verdict.reason) == (True, 2, None)
        assert landed_during_verify is (backend == "sqlite")
        assert [event.type for event in chain(talentos)][-1] == "client.during"
        [after] = talentos.audit.verify("acme-bank")
        assert (after.ok, after.events) == (True, 3)


class AfterHeadRead:
    """A store that runs ``hook`` once, right after the first audit head read outside a
    transaction (as verify reads it), to land a concurrent commit at the worst moment."""

    def __init__(self, inner: Store, hook: Callable[[], None]) -> None:
        self.inner = inner
        self.backend = inner.backend
        self.hook: Callable[[], None] | None = hook

    def transaction(self) -> Any:
        return self.inner.transaction()

    def reader(self) -> UnitOfWork:
        return _HookedReads(self.inner.reader(), self)

    @contextmanager
    def snapshot(self) -> Iterator[UnitOfWork]:
        with self.inner.snapshot() as uow:
            yield _HookedReads(uow, self)

    def probe(self) -> None:
        self.inner.probe()

    def close(self) -> None:
        self.inner.close()

    def head_was_read(self) -> None:
        hook, self.hook = self.hook, None
        if hook is not None:
            hook()


class _HookedReads:
    """A unit of work whose audit repository tells the store when it has read a head."""

    def __init__(self, uow: UnitOfWork, store: AfterHeadRead) -> None:
        self._uow = uow
        self.audit = _HookedAudit(uow.audit, store)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._uow, name)


class _HookedAudit:
    def __init__(self, audit: Any, store: AfterHeadRead) -> None:
        self._audit, self._store = audit, store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._audit, name)

    def head(self, tenant_id: str) -> ChainHead | None:
        found: ChainHead | None = self._audit.head(tenant_id)
        self._store.head_was_read()
        return found
