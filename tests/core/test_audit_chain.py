"""The tamper-evident audit chain (CONTRACT §7, SECURITY-TESTS 30).

First the pure chain (``talentos_core.audit.chain``): every kind of tampering is detected and
the first bad seq is named. Then the chain as stored in a real SQLite file: the triggers refuse
updates and deletes, and a tamper that gets past them (by dropping them) is still caught.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from talentos_core import testing
from talentos_core.audit.chain import (
    Verdict,
    canonical_json,
    head_mac,
    link_hash,
    load_or_create_key,
    seal,
    verify,
)
from talentos_core.bootstrap import TalentOS
from talentos_core.domain.audit import GENESIS_HASH, AuditEvent, ChainHead, ClientEvent
from talentos_core.testing import EPOCH, FrozenClock, sign_up, sqlite_talentos

KEY = bytes(range(32))
WRONG_KEY = bytes(range(1, 33))
TENANT = "acme-bank"

_text = st.text(st.characters(codec="utf-8"), max_size=20)
_json = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | _text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=6,
)
_hex64 = st.text("0123456789abcdef", min_size=64, max_size=64)
_few = settings(max_examples=30)
_maybe = st.sampled_from([None, "", "Zoë 山田", "usr_0000000000000002", "=cmd|' /C calc'!A0"])


@st.composite
def drafts(draw: st.DrawFn, index: int) -> AuditEvent:
    """An unsealed event with varied content."""
    return AuditEvent(
        id=f"aud_{index:016d}",
        ts=EPOCH + timedelta(seconds=index, microseconds=draw(st.integers(0, 999_999))),
        tenant_id=TENANT,
        type=draw(st.sampled_from(["vacancy.created", "auth.login", "client.note"])),
        actor_type=draw(st.sampled_from(["user", "api_key", "public", "system"])),
        seq=0,
        prev_hash="",
        hash="",
        actor_id=draw(_maybe),
        actor_email=draw(_maybe),
        actor_role=draw(st.none() | st.sampled_from(["admin", "chro"])),
        entity_type=draw(_maybe),
        entity_id=draw(_maybe),
        summary=draw(st.none() | _text),
        ip=draw(st.none() | st.sampled_from(["203.0.113.9", "2001:db8::1"])),
        user_agent=draw(_maybe),
        request_id=draw(_maybe),
        data=draw(st.dictionaries(st.sampled_from(["a", "ü", "costUsd"]), _json, max_size=2)),
    )


def build(key: bytes, events: list[AuditEvent]) -> tuple[list[AuditEvent], list[ChainHead]]:
    """Seal ``events`` into a chain; also return the head after each of them."""
    sealed: list[AuditEvent] = []
    heads: list[ChainHead] = []
    for draft in events:
        event, head = seal(key, draft, heads[-1] if heads else None)
        sealed.append(event)
        heads.append(head)
    return sealed, heads


@st.composite
def chains(draw: st.DrawFn, min_size: int = 1) -> tuple[list[AuditEvent], list[ChainHead]]:
    size = draw(st.integers(min_size, 6))
    return build(KEY, [draw(drafts(index)) for index in range(1, size + 1)])


def check(events: list[AuditEvent], head: ChainHead | None, **expect: Any) -> Verdict:
    return verify(KEY, TENANT, iter(events), head, **expect)


_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "id": st.text(min_size=1, max_size=20),
    "tenant_id": st.text(min_size=1, max_size=20),
    "type": st.text(min_size=1, max_size=20),
    "actor_type": st.text(min_size=1, max_size=10),
    "seq": st.integers(-5, 50),
    "prev_hash": _hex64,
    "hash": _hex64,
    "data": st.dictionaries(_text, _json, max_size=3),
}


def edited_value(draw: st.DrawFn, event: AuditEvent, name: str) -> Any:
    """A value for field ``name`` that differs from the event's own."""
    if name == "ts":
        shift = draw(st.integers(1, 10**9) | st.integers(-(10**9), -1))
        return event.ts + timedelta(microseconds=shift)
    value = draw(_VALUES.get(name, st.none() | _text))
    assume(value != getattr(event, name))
    return value


@st.composite
def field_edits(draw: st.DrawFn, event: AuditEvent) -> tuple[str, Any]:
    """Any one field of ``event`` and a different value for it."""
    name = draw(st.sampled_from([attribute.name for attribute in attrs.fields(AuditEvent)]))
    return name, edited_value(draw, event, name)


class TestSealing:
    """How events are linked and what the hash covers."""

    def test_the_first_event_links_to_genesis_and_the_next_to_it(self) -> None:
        """Seal gives seq 1 and the genesis hash first, then seq 2 linked to the first hash."""
        draft = AuditEvent("aud_1", EPOCH, TENANT, "a", "system", 0, "", "")
        (first, second), (head_1, head_2) = build(KEY, [draft, attrs.evolve(draft, id="aud_2")])
        assert (first.seq, first.prev_hash, second.seq, second.prev_hash) == (
            1,
            GENESIS_HASH,
            2,
            first.hash,
        )
        assert second.hash == link_hash(KEY, first.hash, 2, second)
        assert head_2 == ChainHead(TENANT, 2, second.hash, head_mac(KEY, TENANT, 2, second.hash))
        assert head_1.seq == 1

    def test_the_canonical_json_covers_every_field_but_the_chains_own(self) -> None:
        """The canonical JSON holds every field but seq, prevHash and hash, camelCased."""
        event = AuditEvent(
            "aud_1",
            EPOCH,
            TENANT,
            "a",
            "user",
            7,
            "p",
            "h",
            actor_email="ü@x",
            data={"b": 1, "a": [True, None]},
        )
        body = canonical_json(event)
        assert canonical_json(attrs.evolve(event, seq=8, prev_hash="q", hash="i")) == body
        assert body.startswith(b'{"actorEmail":"\xc3\xbc@x","actorId":null,')
        assert b'"ts":"2026-01-01T09:00:00.000000Z"' in body
        assert b'"data":{"a":[true,null],"b":1}' in body

    def test_the_key_changes_every_hash(self) -> None:
        """The same events sealed under two keys share no hash."""
        draft = AuditEvent("aud_1", EPOCH, TENANT, "a", "system", 0, "", "")
        mine, _ = build(KEY, [draft])
        theirs, _ = build(WRONG_KEY, [draft])
        assert mine[0].hash != theirs[0].hash


class TestVerifyingAnUntouchedChain:
    """A chain nobody touched verifies."""

    @_few
    @given(chains())
    def test_an_untouched_chain_verifies(
        self, chain: tuple[list[AuditEvent], list[ChainHead]]
    ) -> None:
        """The verdict is ok and names the last seq and hash."""
        events, heads = chain
        assert check(events, heads[-1]) == Verdict(
            TENANT, True, len(events), len(events), events[-1].hash
        )

    @_few
    @given(chains())
    def test_a_saved_head_that_matches_verifies(
        self, chain: tuple[list[AuditEvent], list[ChainHead]]
    ) -> None:
        """Checking against any earlier saved (seq, hash) of the same chain passes."""
        events, heads = chain
        for saved in heads:
            assert check(events, heads[-1], expect_seq=saved.seq, expect_hash=saved.hash).ok

    def test_an_empty_chain_without_head_verifies(self) -> None:
        """A tenant with no events and no head is a valid, empty chain."""
        assert check([], None) == Verdict(TENANT, True, 0, 0, GENESIS_HASH)


class TestTamperingIsDetected:
    """Each kind of tampering fails verification and names the first bad seq."""

    @_few
    @given(chains(), st.data())
    def test_any_single_field_edit(
        self, chain: tuple[list[AuditEvent], list[ChainHead]], data: st.DataObject
    ) -> None:
        """Changing any one field of any one event breaks the chain at that event."""
        events, heads = chain
        index = data.draw(st.integers(0, len(events) - 1))
        name, value = data.draw(field_edits(events[index]))
        events[index] = attrs.evolve(events[index], **{name: value})
        verdict = check(events, heads[-1])
        assert (verdict.ok, verdict.broken_seq, verdict.broken_id) == (
            False,
            index + 1,
            events[index].id,
        )

    @_few
    @given(chains(min_size=2), st.data())
    def test_edits_of_several_events_name_the_earliest(
        self, chain: tuple[list[AuditEvent], list[ChainHead]], data: st.DataObject
    ) -> None:
        """With several events edited, the verdict names the lowest edited seq."""
        events, heads = chain
        edited = data.draw(st.sets(st.integers(0, len(events) - 1), min_size=2, max_size=3))
        for index in edited:
            events[index] = attrs.evolve(events[index], summary=f"{events[index].summary}!")
        assert check(events, heads[-1]).broken_seq == min(edited) + 1

    @_few
    @given(chains(), st.data())
    def test_a_deleted_row(
        self, chain: tuple[list[AuditEvent], list[ChainHead]], data: st.DataObject
    ) -> None:
        """Removing any one event (the last one included) breaks the chain at its seq."""
        events, heads = chain
        index = data.draw(st.integers(0, len(events) - 1))
        del events[index]
        verdict = check(events, heads[-1])
        assert (verdict.ok, verdict.broken_seq) == (False, index + 1)

    @_few
    @given(chains(min_size=2), st.data())
    def test_swapped_rows(
        self, chain: tuple[list[AuditEvent], list[ChainHead]], data: st.DataObject
    ) -> None:
        """Two events read back in each other's place break the chain at the earlier place."""
        events, heads = chain
        first = data.draw(st.integers(0, len(events) - 2))
        second = data.draw(st.integers(first + 1, len(events) - 1))
        events[first], events[second] = events[second], events[first]
        assert check(events, heads[-1]).broken_seq == first + 1

    @_few
    @given(chains(min_size=2), st.data())
    def test_swapped_contents_under_the_original_seqs(
        self, chain: tuple[list[AuditEvent], list[ChainHead]], data: st.DataObject
    ) -> None:
        """Exchanging two events' contents but keeping their seqs is caught at the earlier one."""
        events, heads = chain
        first = data.draw(st.integers(0, len(events) - 2))
        second = data.draw(st.integers(first + 1, len(events) - 1))
        a, b = events[first], events[second]
        events[first] = attrs.evolve(b, seq=a.seq)
        events[second] = attrs.evolve(a, seq=b.seq)
        verdict = check(events, heads[-1])
        assert (verdict.ok, verdict.broken_seq) == (False, first + 1)

    @_few
    @given(chains(), st.data())
    def test_a_cut_tail_against_the_keyed_head(
        self, chain: tuple[list[AuditEvent], list[ChainHead]], data: st.DataObject
    ) -> None:
        """Cutting the last events while the head stays is caught at the first missing seq."""
        events, heads = chain
        kept = data.draw(st.integers(0, len(events) - 1))
        verdict = check(events[:kept], heads[-1])
        assert (verdict.ok, verdict.broken_seq, verdict.last_seq) == (False, kept + 1, kept)

    @_few
    @given(chains(), st.data())
    def test_a_cut_tail_with_a_forged_head(
        self, chain: tuple[list[AuditEvent], list[ChainHead]], data: st.DataObject
    ) -> None:
        """Rewinding the head without the key fails its MAC, naming the first seq it hides."""
        events, _ = chain
        kept = data.draw(st.integers(0, len(events) - 1))
        last_hash = events[kept - 1].hash if kept else GENESIS_HASH
        forged = ChainHead(TENANT, kept, last_hash, head_mac(WRONG_KEY, TENANT, kept, last_hash))
        verdict = check(events[:kept], forged)
        assert (verdict.ok, verdict.broken_seq) == (False, kept + 1)
        assert "MAC" in (verdict.reason or "")

    @_few
    @given(chains(min_size=2), st.data())
    def test_a_cut_tail_with_a_replayed_old_head_needs_the_saved_head(
        self, chain: tuple[list[AuditEvent], list[ChainHead]], data: st.DataObject
    ) -> None:
        """A genuine old head put back passes alone; the operator's saved seq still catches it."""
        events, heads = chain
        kept = data.draw(st.integers(1, len(events) - 1))
        old_head = heads[kept - 1]
        assert check(events[:kept], old_head).ok
        for expect in (
            {"expect_seq": len(events)},
            {"expect_seq": len(events), "expect_hash": heads[-1].hash},
        ):
            verdict = check(events[:kept], old_head, **expect)
            assert (verdict.ok, verdict.broken_seq) == (False, kept + 1)

    @_few
    @given(chains())
    def test_a_missing_head(self, chain: tuple[list[AuditEvent], list[ChainHead]]) -> None:
        """Events without a head are refused: nothing vouches for the tail."""
        events, _ = chain
        verdict = check(events, None)
        assert (verdict.ok, verdict.broken_seq) == (False, len(events) + 1)

    @_few
    @given(chains(), st.data())
    def test_a_forged_row(
        self, chain: tuple[list[AuditEvent], list[ChainHead]], data: st.DataObject
    ) -> None:
        """An event inserted at any place, linked correctly but hashed without the key, is named."""
        events, heads = chain
        index = data.draw(st.integers(0, len(events)))
        prev_hash = events[index - 1].hash if index else GENESIS_HASH
        draft = attrs.evolve(data.draw(drafts(99)), seq=index + 1, prev_hash=prev_hash)
        forged = attrs.evolve(draft, hash=link_hash(WRONG_KEY, prev_hash, index + 1, draft))
        events.insert(index, forged)
        verdict = check(events, heads[-1])
        assert (verdict.ok, verdict.broken_seq, verdict.broken_id) == (False, index + 1, forged.id)

    @_few
    @given(chains(), st.data())
    def test_a_full_recomputation_with_the_wrong_key(
        self, chain: tuple[list[AuditEvent], list[ChainHead]], data: st.DataObject
    ) -> None:
        """Rewriting an event and resealing chain and head without the key fails at seq 1."""
        events, _ = chain
        index = data.draw(st.integers(0, len(events) - 1))
        events[index] = attrs.evolve(events[index], summary="rewritten")
        forged_events, forged_heads = build(WRONG_KEY, events)
        verdict = check(forged_events, forged_heads[-1])
        assert (verdict.ok, verdict.broken_seq) == (False, 1)

    @_few
    @given(chains(), chains(), st.data())
    def test_a_chain_resealed_with_the_key_differs_from_the_saved_head(
        self,
        original: tuple[list[AuditEvent], list[ChainHead]],
        rewritten: tuple[list[AuditEvent], list[ChainHead]],
        data: st.DataObject,
    ) -> None:
        """A different history sealed with the right key is caught at the saved head's seq."""
        _, saved_heads = original
        events, heads = rewritten
        saved = data.draw(st.sampled_from(saved_heads))
        assume(saved.seq > len(events) or events[saved.seq - 1].hash != saved.hash)
        verdict = check(events, heads[-1], expect_seq=saved.seq, expect_hash=saved.hash)
        assert (verdict.ok, verdict.broken_seq) == (False, min(saved.seq, len(events) + 1))


# -- the chain as stored in SQLite ------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> Iterator[tuple[TalentOS, str]]:
    """TalentOS on a SQLite file with two tenants and a few client events each."""
    path = str(tmp_path / "talentos.db")
    services = sqlite_talentos(path, clock=FrozenClock())
    for company in ("Acme Bank", "Globex"):
        admin = sign_up(services, company)
        for number in range(1, 4):
            services.audit.record(admin, ClientEvent("note", summary=f"note {number}"))
    yield services, path
    services.close()


def raw(path: str) -> closing[sqlite3.Connection]:
    """A plain connection to the file, as an attacker with write access would have."""
    return closing(sqlite3.connect(path, isolation_level=None))


def verdicts(services: TalentOS, **expect: Any) -> dict[str, tuple[bool, int | None]]:
    return {v.tenant_id: (v.ok, v.broken_seq) for v in services.audit.verify(**expect)}


class TestTheStoredChain:
    """Audit rows in SQLite: append-only by trigger, and verified end to end."""

    def test_an_untouched_stored_chain_verifies(self, db: tuple[TalentOS, str]) -> None:
        """Every tenant's chain (signup plus three client events) verifies."""
        services, _ = db
        assert verdicts(services) == {TENANT: (True, None), "globex": (True, None)}
        assert [v.last_seq for v in services.audit.verify()] == [4, 4]

    def test_update_of_an_audit_row_aborts(self, db: tuple[TalentOS, str]) -> None:
        """An UPDATE on audit_events raises from the trigger and changes nothing."""
        services, path = db
        with raw(path) as connection, pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute("UPDATE audit_events SET summary = 'forged' WHERE seq = 2")
        assert verdicts(services)[TENANT] == (True, None)

    def test_delete_of_an_audit_row_aborts_without_a_tombstone(
        self, db: tuple[TalentOS, str]
    ) -> None:
        """A DELETE on audit_events raises from the trigger unless the tenant has a tombstone."""
        services, path = db
        with raw(path) as connection, pytest.raises(sqlite3.DatabaseError, match="deleted only"):
            connection.execute("DELETE FROM audit_events WHERE tenant_id = ?", (TENANT,))
        assert services.store.reader().audit.count() == 8

    def test_delete_is_allowed_after_the_tenants_tombstone_in_one_transaction(
        self, db: tuple[TalentOS, str]
    ) -> None:
        """A tombstone, then the tenant row's deletion, lets the tenant's rows go, only its."""
        services, path = db
        with raw(path) as connection:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(
                "INSERT INTO audit_tombstones (seq, tenant_id, last_seq, last_hash, deleted_at, "
                "prev_hash, hash) VALUES (1, ?, 4, 'h', '2026-01-01T00:00:00Z', 'p', 'x')",
                (TENANT,),
            )
            # A tombstone alone is not enough while the tenant exists (a reused slug).
            with pytest.raises(sqlite3.IntegrityError, match="deleted only"):
                connection.execute("DELETE FROM audit_events WHERE tenant_id = ?", (TENANT,))
            connection.execute("DELETE FROM tenants WHERE id = ?", (TENANT,))
            connection.execute("DELETE FROM audit_events WHERE tenant_id = ?", (TENANT,))
            with pytest.raises(sqlite3.IntegrityError):
                connection.execute("DELETE FROM audit_events WHERE tenant_id = 'globex'")
            connection.execute("COMMIT")
        reader = services.store.reader()
        assert (list(reader.audit.stream(TENANT)), reader.audit.count()) == ([], 4)

    def test_tombstones_are_append_only(self, db: tuple[TalentOS, str]) -> None:
        """Updating or deleting a tombstone raises from its triggers."""
        _, path = db
        with raw(path) as connection:
            connection.execute(
                "INSERT INTO audit_tombstones (seq, tenant_id, last_seq, last_hash, deleted_at, "
                "prev_hash, hash) VALUES (1, 'gone', 1, 'h', 'now', 'p', 'x')"
            )
            for sql in ("UPDATE audit_tombstones SET hash = 'y'", "DELETE FROM audit_tombstones"):
                with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                    connection.execute(sql)

    @pytest.mark.parametrize(
        ("tamper", "broken_seq"),
        [
            ("UPDATE audit_events SET summary = 'forged' WHERE tenant_id = ? AND seq = 2", 2),
            ("UPDATE audit_events SET data = '{\"x\":1}' WHERE tenant_id = ? AND seq = 3", 3),
            (
                "UPDATE audit_events SET ts = '2030-01-01T00:00:00.000000Z' "
                "WHERE tenant_id = ? AND seq = 1",
                1,
            ),
            ("DELETE FROM audit_events WHERE tenant_id = ? AND seq = 3", 3),
            ("DELETE FROM audit_events WHERE tenant_id = ? AND seq = 4", 4),
            ("UPDATE audit_heads SET mac = hash WHERE tenant_id = ?", 5),
            ("DELETE FROM audit_heads WHERE tenant_id = ?", 5),
        ],
    )
    def test_a_tamper_past_dropped_triggers_is_detected(
        self, db: tuple[TalentOS, str], tamper: str, broken_seq: int
    ) -> None:
        """With the triggers dropped by raw SQL, ``audit.verify()`` names the first bad seq."""
        services, path = db
        with raw(path) as connection:
            connection.execute("DROP TRIGGER audit_events_no_update")
            connection.execute("DROP TRIGGER audit_events_no_delete")
            connection.execute(tamper, (TENANT,))
        assert verdicts(services) == {TENANT: (False, broken_seq), "globex": (True, None)}

    def test_a_replayed_old_head_is_caught_by_the_saved_head(
        self, db: tuple[TalentOS, str]
    ) -> None:
        """A cut tail with its genuine old head row put back is caught only by the saved head."""
        services, path = db
        saved = services.audit.head(TENANT)
        with raw(path) as connection:
            old = connection.execute(
                "SELECT seq, hash FROM audit_events WHERE tenant_id = ? AND seq = 2", (TENANT,)
            ).fetchone()
            connection.execute("DROP TRIGGER audit_events_no_delete")
            connection.execute(
                "DELETE FROM audit_events WHERE tenant_id = ? AND seq > 2", (TENANT,)
            )
            connection.execute(
                "UPDATE audit_heads SET seq = ?, hash = ?, mac = ? WHERE tenant_id = ?",
                (old[0], old[1], head_mac(KEY, TENANT, old[0], old[1]), TENANT),
            )
        assert services.audit.verify(TENANT)[0].ok
        expect = {"expect_seq": saved.seq, "expect_hash": saved.hash}
        assert [(v.ok, v.broken_seq) for v in services.audit.verify(TENANT, **expect)] == [
            (False, 3)
        ]


class TestTheAuditKeyFile:
    """``load_or_create_key``: a private key file, created once."""

    def test_the_key_file_is_created_with_mode_0600_whatever_the_umask(
        self, tmp_path: Path
    ) -> None:
        """A new key file is readable and writable by its owner only, even under umask 000."""
        path = tmp_path / "talentos.db.audit-key"
        previous = os.umask(0)
        try:
            key = load_or_create_key(path)
        finally:
            os.umask(previous)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert (len(key), path.read_text()) == (32, key.hex() + "\n")

    def test_the_key_is_stable_across_calls(self, tmp_path: Path) -> None:
        """Loading again answers the same key and leaves the file as it was."""
        path = tmp_path / "key"
        first = load_or_create_key(path)
        written = path.read_bytes()
        assert (load_or_create_key(path), path.read_bytes()) == (first, written)

    def test_an_existing_key_file_is_used_as_is(self, tmp_path: Path) -> None:
        """A key file an operator wrote (hex, with spaces around) is read, not replaced."""
        path = tmp_path / "key"
        path.write_text(" " + "ab" * 32 + " \n")
        assert load_or_create_key(path) == bytes([0xAB]) * 32

    def test_a_chain_written_by_one_opening_verifies_in_the_next(self, tmp_path: Path) -> None:
        """TalentOS keeps its key beside the database, so a reopened file still verifies."""
        settings = testing.test_settings(db=str(tmp_path / "talentos.db"))
        with TalentOS.open(settings) as first:
            admin = sign_up(first, "Acme Bank")
            first.audit.record(admin, ClientEvent("note"))
        key_file = tmp_path / "talentos.db.audit-key"
        with TalentOS.open(settings) as second:
            assert [(v.ok, v.last_seq) for v in second.audit.verify()] == [(True, 2)]
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
