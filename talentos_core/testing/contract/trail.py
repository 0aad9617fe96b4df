"""The contract for what is recorded: the audit chain and the outbox."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentos_core.domain.audit import AuditFilter
from talentos_core.domain.outbox import OutboxEvent
from talentos_core.errors import Conflict, NotFound
from talentos_core.ports import Store
from talentos_core.testing.contract._support import (
    _TEXT,
    ACME,
    EVERYONE,
    GLOBEX,
    _expect_pages,
    _hypothesis,
    at,
    fresh,
    ids,
)
from talentos_core.testing.contract.builders import (
    append,
    full_event,
    head_of,
    make_event,
    make_outbox,
    seed,
)


class AuditContract:
    """The audit trail: append-only, one head per tenant, listed by seq, streamed in order."""

    def test_head_follows_appends(self, store: Store) -> None:
        """A tenant has no head until its first event, then the head of its last append."""
        assert store.reader().audit.head(ACME) is None
        append(store, make_event(ACME, 1))
        assert store.reader().audit.head(ACME) == head_of(make_event(ACME, 1))
        append(store, make_event(ACME, 2), make_event(GLOBEX, 1))
        reader = store.reader()
        assert (reader.audit.head(ACME), reader.audit.head(GLOBEX)) == (
            head_of(make_event(ACME, 2)),
            head_of(make_event(GLOBEX, 1)),
        )

    def test_every_field_of_an_event_round_trips(self, store: Store) -> None:
        """An event with every field set, nested data included, reads back equal."""
        event = full_event()
        append(store, event)
        reader = store.reader()
        assert reader.audit.list(ACME, AuditFilter(), EVERYONE).items == [event]
        assert list(reader.audit.stream(ACME)) == [event]

    def test_a_duplicate_id_or_seq_is_a_conflict(self, store: Store) -> None:
        """A repeated event id, or a seq the tenant already has, raises Conflict; the head stays."""
        append(store, make_event(ACME, 1))
        for duplicate in (
            make_event(ACME, 2, id="aud_acme_00001"),
            make_event(ACME, 1, id="aud_other"),
        ):
            with pytest.raises(Conflict), store.transaction() as uow:
                uow.audit.append(duplicate, head_of(duplicate))
        reader = store.reader()
        assert (reader.audit.count(), reader.audit.head(ACME)) == (1, head_of(make_event(ACME, 1)))

    def test_list_is_newest_first_by_seq_and_paged(self, store: Store) -> None:
        """Events list by seq descending, whatever their times, only the tenant's, with paging."""
        append(
            store,
            *(make_event(ACME, seq, ts=at(100 - seq)) for seq in range(1, 6)),
            make_event(GLOBEX, 1),
        )
        expected = [f"aud_acme_{seq:05d}" for seq in (5, 4, 3, 2, 1)]
        assert ids(store.reader().audit.list(ACME, AuditFilter(), EVERYONE).items) == expected
        _expect_pages(lambda page: store.reader().audit.list(ACME, AuditFilter(), page), expected)

    def test_list_filters_by_type_since_and_q(self, store: Store) -> None:
        """``type`` is exact, ``since`` is inclusive, ``q`` is a substring of type or summary."""
        append(
            store,
            make_event(ACME, 1, type="vacancy.created", summary="Created Backend Engineer"),
            make_event(ACME, 2, type="vacancy.updated", summary="Updated title"),
            make_event(ACME, 3, type="client.vacancy.created", data={"q": "engineer"}),
            make_event(ACME, 4, type="auth.login"),
            make_event(GLOBEX, 1, type="vacancy.created", summary="Engineer"),
        )

        def listed(where: AuditFilter) -> list[int]:
            return [e.seq for e in store.reader().audit.list(ACME, where, EVERYONE).items]

        assert listed(AuditFilter(type="vacancy.created")) == [1]
        assert listed(AuditFilter(since=at(2))) == [4, 3, 2]
        assert listed(AuditFilter(q="ENGINEER")) == [1]
        assert listed(AuditFilter(q="Vacancy.CREATED")) == [3, 1]
        assert listed(AuditFilter(type="vacancy.updated", since=at(2), q="title")) == [2]
        assert listed(AuditFilter(type="vacancy")) == []

    def test_stream_is_in_seq_order_after_a_seq(self, store: Store) -> None:
        """``stream`` yields the tenant's events in ascending seq, starting after ``after_seq``."""
        append(
            store,
            *(make_event(ACME, seq, ts=at(-seq)) for seq in range(1, 6)),
            make_event(GLOBEX, 1),
        )
        reader = store.reader()
        assert [event.seq for event in reader.audit.stream(ACME)] == [1, 2, 3, 4, 5]
        assert [event.seq for event in reader.audit.stream(ACME, after_seq=3)] == [4, 5]
        assert list(reader.audit.stream("ghost")) == []

    def test_stream_reaches_the_end_of_a_long_chain(self, store: Store) -> None:
        """A chain longer than any sensible read batch streams whole, in order, once."""
        append(store, *(make_event(ACME, seq) for seq in range(1, 1102)))
        seqs = [event.seq for event in store.reader().audit.stream(ACME, after_seq=1)]
        assert seqs == list(range(2, 1102))

    def test_count_and_tenant_ids_cover_every_tenant(self, store: Store) -> None:
        """``count`` counts events of all tenants; ``tenant_ids`` lists chained tenants sorted."""
        append(store, make_event("zeta", 1), make_event(ACME, 1), make_event(ACME, 2))
        reader = store.reader()
        assert (reader.audit.count(), reader.audit.tenant_ids()) == (3, [ACME, "zeta"])

    def test_returned_events_are_copies(self, store: Store) -> None:
        """Mutating an event's data read back changes nothing stored."""
        append(store, full_event())
        store.reader().audit.list(ACME, AuditFilter(), EVERYONE).items[0].data.clear()
        next(iter(store.reader().audit.stream(ACME))).data["nested"]["list"].append(9)
        assert next(iter(store.reader().audit.stream(ACME))) == full_event()

    @_hypothesis
    @given(
        summary=st.none() | _TEXT,
        data=st.dictionaries(
            _TEXT,
            st.recursive(
                st.none()
                | st.booleans()
                | st.integers(-(2**53), 2**53)
                | st.floats(allow_nan=False)
                | _TEXT,
                lambda inner: (
                    st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3)
                ),
                max_leaves=8,
            ),
            max_size=4,
        ),
    )
    def test_any_json_data_round_trips(
        self, store: Store, summary: str | None, data: dict[str, Any]
    ) -> None:
        """For any JSON object as data and any summary text, an event reads back equal."""
        event = make_event(fresh("tenant"), 1, summary=summary, data=data)
        append(store, event)
        assert list(store.reader().audit.stream(event.tenant_id)) == [event]


class OutboxContract:
    """The webhook outbox: rows per tenant, newest first, and a count of the undispatched."""

    def test_every_field_of_an_outbox_event_round_trips(self, store: Store) -> None:
        """An outbox event with every field set reads back equal."""
        seed(store)
        event = OutboxEvent(
            "evt_1",
            ACME,
            "offer.accepted",
            at(1),
            data={"offer": {"id": "ofr_1", "terms": ["ü", 1.5]}},
            dispatched_at=at(2),
        )
        with store.transaction() as uow:
            uow.outbox.add(event)
        assert store.reader().outbox.list(ACME, EVERYONE).items == [event]

    def test_list_is_newest_first_and_paged(self, store: Store) -> None:
        """Outbox rows list by ts then id, descending, only the tenant's, with paging."""
        seed(store)
        with store.transaction() as uow:
            for event_id, seconds in (("evt_a", 2), ("evt_c", 2), ("evt_b", 9), ("evt_d", 1)):
                uow.outbox.add(make_outbox(event_id, ts=at(seconds)))
            uow.outbox.add(make_outbox("evt_z", tenant_id=GLOBEX, ts=at(99)))
        expected = ["evt_b", "evt_c", "evt_a", "evt_d"]
        assert ids(store.reader().outbox.list(ACME, EVERYONE).items) == expected
        _expect_pages(lambda page: store.reader().outbox.list(ACME, page), expected)

    def test_count_pending_counts_undispatched_rows_of_every_tenant(self, store: Store) -> None:
        """``count_pending`` counts rows without ``dispatched_at`` across tenants."""
        seed(store)
        with store.transaction() as uow:
            uow.outbox.add(make_outbox("evt_1"))
            uow.outbox.add(make_outbox("evt_2", tenant_id=GLOBEX))
            uow.outbox.add(make_outbox("evt_3", dispatched_at=at(1)))
        assert store.reader().outbox.count_pending() == 2

    def test_a_duplicate_outbox_event_id_or_unknown_tenant_is_refused(self, store: Store) -> None:
        """A repeated id raises Conflict and an unknown tenant raises NotFound."""
        seed(store)
        with store.transaction() as uow:
            uow.outbox.add(make_outbox("evt_1"))
        with pytest.raises(Conflict), store.transaction() as uow:
            uow.outbox.add(make_outbox("evt_1", tenant_id=GLOBEX))
        with pytest.raises(NotFound), store.transaction() as uow:
            uow.outbox.add(make_outbox("evt_2", tenant_id="ghost"))
        assert store.reader().outbox.count_pending() == 1
