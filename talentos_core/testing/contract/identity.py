"""The contract for who may sign in: tenants, users, sessions, invites, failures, API keys."""

from __future__ import annotations

from datetime import timedelta, timezone

import attrs
import pytest

from talentos_core.domain.users import Invite, Session, User, UserStatus
from talentos_core.errors import Conflict, EmailTaken, NotFound
from talentos_core.ports import Store
from talentos_core.testing.contract._support import (
    ACME,
    EVERYONE,
    GLOBEX,
    T0,
    _expect_pages,
    at,
    ids,
)
from talentos_core.testing.contract.builders import (
    full_api_key,
    full_tenant,
    full_user,
    make_api_key,
    make_tenant,
    make_user,
    seed,
)


class TenantsContract:
    """Tenants: stored whole, found by id, never duplicated."""

    def test_every_field_of_a_tenant_round_trips(self, store: Store) -> None:
        """A tenant with every field set reads back equal."""
        tenant = full_tenant()
        seed(store)
        with store.transaction() as uow:
            uow.tenants.add(tenant)
        assert (store.reader().tenants.get(tenant.id), store.reader().tenants.find(tenant.id)) == (
            tenant,
            tenant,
        )

    def test_a_missing_tenant_is_not_found(self, store: Store) -> None:
        """``get`` raises NotFound and ``find`` answers None for an unknown id."""
        seed(store)
        with pytest.raises(NotFound):
            store.reader().tenants.get("nobody")
        assert store.reader().tenants.find("nobody") is None

    def test_a_duplicate_tenant_id_is_a_conflict(self, store: Store) -> None:
        """Adding a tenant whose id exists raises Conflict and keeps the first."""
        seed(store)
        with pytest.raises(Conflict), store.transaction() as uow:
            uow.tenants.add(make_tenant(ACME, name="Impostor"))
        assert store.reader().tenants.get(ACME).name == "Acme"

    def test_update_replaces_every_field_of_a_tenant(self, store: Store) -> None:
        """An updated tenant reads back exactly as written."""
        seed(store)
        changed = attrs.evolve(full_tenant(), id=ACME)
        with store.transaction() as uow:
            uow.tenants.update(changed)
        assert store.reader().tenants.get(ACME) == changed

    def test_career_site_origins_round_trip_in_order_and_clear(self, store: Store) -> None:
        """A tenant starts with no career site origins; they read back as written, in order,
        and cleared."""
        seed(store, ACME)
        assert store.reader().tenants.get(ACME).career_site_origins == []
        origins = ["https://careers.acme.example", "http://localhost:8000", "https://a.example"]
        for written in (origins, origins[::-1], []):
            with store.transaction() as uow:
                uow.tenants.update(make_tenant(ACME, career_site_origins=written))
            assert store.reader().tenants.get(ACME).career_site_origins == written

    def test_lists_origin_is_true_exactly_when_some_tenant_lists_it(self, store: Store) -> None:
        """``lists_origin`` matches a listed origin exactly (no prefix, no case folding), in
        any tenant, and stops matching once the tenant drops it."""
        seed(store)
        with store.transaction() as uow:
            uow.tenants.update(
                make_tenant(GLOBEX, career_site_origins=["https://jobs.globex.example"])
            )
        reader = store.reader()
        assert [
            reader.tenants.lists_origin(origin)
            for origin in (
                "https://jobs.globex.example",
                "https://jobs.globex.example.evil",
                "https://jobs.globex",
                "HTTPS://JOBS.GLOBEX.EXAMPLE",
                "",
            )
        ] == [True, False, False, False, False]
        with store.transaction() as uow:
            uow.tenants.update(make_tenant(GLOBEX))
        assert store.reader().tenants.lists_origin("https://jobs.globex.example") is False

    def test_update_of_a_missing_tenant_is_not_found(self, store: Store) -> None:
        """Updating an unknown tenant raises NotFound and creates nothing."""
        with pytest.raises(NotFound), store.transaction() as uow:
            uow.tenants.update(make_tenant("ghost"))
        assert store.reader().tenants.all_ids() == []

    def test_get_many_answers_only_the_existing_ones_by_id(self, store: Store) -> None:
        """``get_many`` maps each existing id to its tenant and skips unknown or repeated ids."""
        seed(store)
        found = store.reader().tenants.get_many([GLOBEX, "ghost", ACME, GLOBEX])
        assert found == {ACME: make_tenant(ACME), GLOBEX: make_tenant(GLOBEX)}
        assert store.reader().tenants.get_many([]) == {}

    def test_all_ids_are_sorted(self, store: Store) -> None:
        """``all_ids`` lists every tenant id in ascending order."""
        seed(store, "zeta", ACME, "mu")
        assert store.reader().tenants.all_ids() == [ACME, "mu", "zeta"]

    def test_times_come_back_as_the_same_instant_in_utc(self, store: Store) -> None:
        """A time written with another offset reads back as the same instant, in UTC."""
        plus_two = timezone(timedelta(hours=2))
        seed(store, ACME)
        with store.transaction() as uow:
            uow.tenants.update(make_tenant(ACME, updated_at=at(0).astimezone(plus_two)))
        stored = store.reader().tenants.get(ACME).updated_at
        assert stored is not None
        assert (stored, stored.utcoffset()) == (at(0), timedelta(0))


class UsersContract:
    """Users: unique email in any case across tenants, scoped reads, newest first."""

    def test_every_field_of_a_user_round_trips(self, store: Store) -> None:
        """A user with every field set reads back equal, by id and by email."""
        seed(store)
        user = full_user()
        with store.transaction() as uow:
            uow.users.add(user)
        assert store.reader().users.get(ACME, user.id) == user
        assert store.reader().users.find_by_email(user.email) == user

    def test_another_tenants_user_is_not_found(self, store: Store) -> None:
        """``get`` with the wrong tenant or an unknown id raises NotFound."""
        seed(store)
        with store.transaction() as uow:
            uow.users.add(make_user("usr_1"))
        for tenant_id, user_id in ((GLOBEX, "usr_1"), (ACME, "usr_2")):
            with pytest.raises(NotFound):
                store.reader().users.get(tenant_id, user_id)

    @pytest.mark.parametrize(
        "email", ["ann@acme.example", "ANN@Acme.Example", " Ann@acme.example "]
    )
    def test_an_email_taken_in_any_case_is_refused(self, store: Store, email: str) -> None:
        """Adding a user whose email differs only in case or spaces raises EmailTaken."""
        seed(store)
        with store.transaction() as uow:
            uow.users.add(make_user("usr_1", email="Ann@Acme.example"))
        with pytest.raises(EmailTaken), store.transaction() as uow:
            uow.users.add(make_user("usr_2", tenant_id=GLOBEX, email=email))
        assert store.reader().users.list(GLOBEX, EVERYONE).total == 0

    def test_a_duplicate_user_id_is_a_conflict(self, store: Store) -> None:
        """Adding a user whose id exists raises Conflict (not EmailTaken) for a new email."""
        seed(store)
        with store.transaction() as uow:
            uow.users.add(make_user("usr_1"))
        with pytest.raises(Conflict) as raised, store.transaction() as uow:
            uow.users.add(make_user("usr_1", email="other@acme.example"))
        assert not isinstance(raised.value, EmailTaken)

    def test_a_user_of_an_unknown_tenant_is_refused(self, store: Store) -> None:
        """Adding a user for a tenant that does not exist raises NotFound."""
        with pytest.raises(NotFound), store.transaction() as uow:
            uow.users.add(make_user("usr_1", tenant_id="ghost"))
        assert store.reader().users.find_by_email("usr_1@ghost.example") is None

    def test_find_by_email_ignores_case_and_spaces(self, store: Store) -> None:
        """``find_by_email`` finds the user whatever the case, and None for unknown emails."""
        seed(store)
        with store.transaction() as uow:
            uow.users.add(make_user("usr_1", tenant_id=GLOBEX, email="Ann@Globex.example"))
        assert store.reader().users.find_by_email("  aNN@GLOBEX.EXAMPLE") == make_user(
            "usr_1", tenant_id=GLOBEX, email="Ann@Globex.example"
        )
        assert store.reader().users.find_by_email("bob@globex.example") is None

    def test_update_replaces_every_field_of_a_user(self, store: Store) -> None:
        """An updated user reads back exactly as written, including a new email."""
        seed(store)
        with store.transaction() as uow:
            uow.users.add(make_user("usr_full"))
        changed = full_user()
        with store.transaction() as uow:
            uow.users.update(changed)
        assert store.reader().users.get(ACME, "usr_full") == changed
        assert store.reader().users.find_by_email("usr_full@acme.example") is None

    def test_update_to_someone_elses_email_is_refused(self, store: Store) -> None:
        """Changing a user's email to another user's (any case) raises EmailTaken."""
        seed(store)
        with store.transaction() as uow:
            uow.users.add(make_user("usr_1", email="ann@acme.example"))
            uow.users.add(make_user("usr_2", email="bob@acme.example"))
        with pytest.raises(EmailTaken), store.transaction() as uow:
            uow.users.update(make_user("usr_2", email="ANN@acme.example"))
        assert store.reader().users.get(ACME, "usr_2").email == "bob@acme.example"

    def test_update_may_change_the_case_of_ones_own_email(self, store: Store) -> None:
        """A user may be updated with their own email in another case."""
        seed(store)
        with store.transaction() as uow:
            uow.users.add(make_user("usr_1", email="ann@acme.example"))
        with store.transaction() as uow:
            uow.users.update(make_user("usr_1", email="Ann@Acme.example"))
        assert store.reader().users.get(ACME, "usr_1").email == "Ann@Acme.example"

    def test_update_of_a_missing_user_is_not_found(self, store: Store) -> None:
        """Updating an unknown user raises NotFound, even with an email that is taken."""
        seed(store)
        with store.transaction() as uow:
            uow.users.add(make_user("usr_1", email="ann@acme.example"))
        for email in ("ghost@acme.example", "ann@acme.example"):
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.users.update(make_user("usr_ghost", email=email))
        assert store.reader().users.list(ACME, EVERYONE).total == 1

    def test_delete_removes_the_user_and_frees_the_email(self, store: Store) -> None:
        """A deleted user is NotFound and their email (any case) may be added again."""
        seed(store)
        with store.transaction() as uow:
            uow.users.add(make_user("usr_1", email="ann@acme.example"))
            uow.users.add(make_user("usr_2"))
        with store.transaction() as uow:
            uow.users.delete(ACME, "usr_1")
        with pytest.raises(NotFound):
            store.reader().users.get(ACME, "usr_1")
        with store.transaction() as uow:
            uow.users.add(make_user("usr_3", tenant_id=GLOBEX, email="ANN@acme.example"))
        found = store.reader().users.find_by_email("ann@acme.example")
        assert (found.id if found else None, store.reader().users.get(ACME, "usr_2").id) == (
            "usr_3",
            "usr_2",
        )

    def test_delete_of_another_tenants_or_a_missing_user_is_not_found(self, store: Store) -> None:
        """Deleting with the wrong tenant or an unknown id raises NotFound and keeps the user."""
        seed(store)
        with store.transaction() as uow:
            uow.users.add(make_user("usr_1"))
        for tenant_id, user_id in ((GLOBEX, "usr_1"), (ACME, "usr_ghost")):
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.users.delete(tenant_id, user_id)
        assert store.reader().users.get(ACME, "usr_1").id == "usr_1"

    def test_list_is_the_tenants_users_newest_first_and_paged(self, store: Store) -> None:
        """Users list by created_at then id, descending, only the tenant's, with paging."""
        seed(store)
        with store.transaction() as uow:
            for user_id, seconds in (("usr_b", 20), ("usr_a", 10), ("usr_c", 20), ("usr_d", 30)):
                uow.users.add(make_user(user_id, created_at=at(seconds)))
            uow.users.add(make_user("usr_z", tenant_id=GLOBEX, created_at=at(99)))
        expected = ["usr_d", "usr_c", "usr_b", "usr_a"]
        assert ids(store.reader().users.list(ACME, EVERYONE).items) == expected
        _expect_pages(lambda page: store.reader().users.list(ACME, page), expected)


class SessionsContract:
    """Sessions: found with their user in one read, deleted one by one or per user."""

    def _seed_sessions(self, store: Store) -> User:
        seed(store)
        user = full_user()
        with store.transaction() as uow:
            uow.users.add(user)
            uow.users.add(make_user("usr_2"))
            for token_hash, user_id in (
                ("a" * 64, user.id),
                ("b" * 64, user.id),
                ("c" * 64, "usr_2"),
            ):
                uow.sessions.add(Session(token_hash, user_id, ACME, at(1), at(86_400)))
        return user

    def test_find_with_user_returns_the_session_and_its_user(self, store: Store) -> None:
        """A stored session reads back equal, together with its user."""
        user = self._seed_sessions(store)
        assert store.reader().sessions.find_with_user("a" * 64) == (
            Session("a" * 64, user.id, ACME, at(1), at(86_400)),
            user,
        )

    def test_an_unknown_hash_finds_nothing(self, store: Store) -> None:
        """``find_with_user`` answers None for a hash never stored."""
        self._seed_sessions(store)
        assert store.reader().sessions.find_with_user("d" * 64) is None

    def test_delete_ends_only_that_session(self, store: Store) -> None:
        """Deleting one session leaves the others; deleting an unknown hash is harmless."""
        self._seed_sessions(store)
        with store.transaction() as uow:
            uow.sessions.delete("a" * 64)
            uow.sessions.delete("d" * 64)
        found = [store.reader().sessions.find_with_user(h * 64) is not None for h in "abc"]
        assert found == [False, True, True]

    def test_delete_for_user_ends_all_of_theirs_and_no_others(self, store: Store) -> None:
        """``delete_for_user`` removes every session of the user and keeps everyone else's."""
        user = self._seed_sessions(store)
        with store.transaction() as uow:
            uow.sessions.delete_for_user(user.id)
        found = [store.reader().sessions.find_with_user(h * 64) is not None for h in "abc"]
        assert found == [False, False, True]

    def test_a_duplicate_session_hash_is_a_conflict(self, store: Store) -> None:
        """Adding a session whose hash exists raises Conflict."""
        self._seed_sessions(store)
        with pytest.raises(Conflict), store.transaction() as uow:
            uow.sessions.add(Session("a" * 64, "usr_2", ACME, T0, at(5)))
        found = store.reader().sessions.find_with_user("a" * 64)
        assert found is not None
        assert found[1].id == "usr_full"

    def test_a_session_of_an_unknown_user_is_refused(self, store: Store) -> None:
        """Adding a session for a user that does not exist raises NotFound."""
        seed(store)
        with pytest.raises(NotFound), store.transaction() as uow:
            uow.sessions.add(Session("e" * 64, "usr_ghost", ACME, T0, at(5)))
        assert store.reader().sessions.find_with_user("e" * 64) is None


class InvitesContract:
    """Invites: one-time tokens found by hash, marked used, replaced per user."""

    def _seed_invites(self, store: Store) -> Invite:
        seed(store)
        invite = Invite("a" * 64, "usr_1", ACME, at(1), at(604_800))
        with store.transaction() as uow:
            uow.users.add(make_user("usr_1", status=UserStatus.INVITED))
            uow.users.add(make_user("usr_2", status=UserStatus.INVITED))
            uow.invites.add(invite)
            uow.invites.add(Invite("b" * 64, "usr_2", ACME, at(1), at(2)))
        return invite

    def test_an_invite_round_trips(self, store: Store) -> None:
        """A stored invite reads back equal by its hash; an unknown hash finds None."""
        invite = self._seed_invites(store)
        assert store.reader().invites.find("a" * 64) == invite
        assert store.reader().invites.find("c" * 64) is None

    def test_update_marks_it_used(self, store: Store) -> None:
        """An updated invite reads back with its ``used_at``."""
        invite = self._seed_invites(store)
        with store.transaction() as uow:
            uow.invites.update(attrs.evolve(invite, used_at=at(3)))
        assert store.reader().invites.find("a" * 64) == attrs.evolve(invite, used_at=at(3))

    def test_update_of_an_unknown_invite_is_not_found(self, store: Store) -> None:
        """Updating an invite whose hash is not stored raises NotFound."""
        invite = self._seed_invites(store)
        with pytest.raises(NotFound), store.transaction() as uow:
            uow.invites.update(attrs.evolve(invite, token_hash="c" * 64))

    def test_for_user_answers_every_invite_of_the_user_oldest_first(self, store: Store) -> None:
        """``for_user`` lists the user's invites, used or not, oldest first, and no others."""
        first = self._seed_invites(store)
        later = Invite("c" * 64, "usr_1", ACME, at(5), at(9), used_at=at(6))
        earlier = Invite("d" * 64, "usr_1", ACME, T0, at(2))
        with store.transaction() as uow:
            uow.invites.add(later)
            uow.invites.add(earlier)
        reader = store.reader()
        assert reader.invites.for_user("usr_1") == [earlier, first, later]
        assert [i.token_hash for i in reader.invites.for_user("usr_2")] == ["b" * 64]
        assert reader.invites.for_user("usr_ghost") == []

    def test_delete_for_user_removes_only_theirs(self, store: Store) -> None:
        """``delete_for_user`` removes the user's invites and keeps the others."""
        self._seed_invites(store)
        with store.transaction() as uow:
            uow.invites.delete_for_user("usr_1")
        reader = store.reader()
        assert (reader.invites.find("a" * 64), reader.invites.find("b" * 64) is not None) == (
            None,
            True,
        )

    def test_a_duplicate_invite_hash_is_a_conflict(self, store: Store) -> None:
        """Adding an invite whose hash exists raises Conflict."""
        invite = self._seed_invites(store)
        with pytest.raises(Conflict), store.transaction() as uow:
            uow.invites.add(attrs.evolve(invite, user_id="usr_2"))
        assert store.reader().invites.find("a" * 64) == invite


class LoginFailuresContract:
    """Login failures: per email in any case, read from a moment on, cleared per email."""

    def test_since_answers_failures_at_or_after_the_moment_oldest_first(self, store: Store) -> None:
        """``since`` includes a failure exactly at the moment and sorts by time."""
        with store.transaction() as uow:
            for seconds in (30, 10, 20, 5):
                uow.login_failures.record("ann@acme.example", at(seconds))
        assert store.reader().login_failures.since("ann@acme.example", at(10)) == [
            at(10),
            at(20),
            at(30),
        ]

    def test_email_case_and_spaces_do_not_matter(self, store: Store) -> None:
        """Failures recorded, read and cleared under different cases are the same email's."""
        with store.transaction() as uow:
            uow.login_failures.record("Ann@Acme.example", at(1))
            uow.login_failures.record(" ANN@acme.EXAMPLE ", at(2))
            uow.login_failures.record("bob@acme.example", at(3))
        assert store.reader().login_failures.since("ann@ACME.example", at(0)) == [at(1), at(2)]
        with store.transaction() as uow:
            uow.login_failures.clear("aNN@acme.example")
        reader = store.reader()
        assert reader.login_failures.since("ann@acme.example", at(0)) == []
        assert reader.login_failures.since("bob@acme.example", at(0)) == [at(3)]

    def test_forget_before_drops_only_older_failures_of_every_email(self, store: Store) -> None:
        """``forget_before`` keeps failures at or after the moment, for every email."""
        with store.transaction() as uow:
            for email, seconds in (
                ("ann@acme.example", 1),
                ("ann@acme.example", 9),
                ("bob@acme.example", 2),
                ("cy@acme.example", 12),
            ):
                uow.login_failures.record(email, at(seconds))
            uow.login_failures.forget_before(at(9))
        reader = store.reader()
        assert [
            reader.login_failures.since(email, at(0))
            for email in ("ann@acme.example", "bob@acme.example", "cy@acme.example")
        ] == [[at(9)], [], [at(12)]]

    def test_an_email_without_failures_has_none(self, store: Store) -> None:
        """``since`` answers an empty list for an email never recorded."""
        assert store.reader().login_failures.since("nobody@acme.example", at(-1)) == []


class ApiKeysContract:
    """API keys: scoped reads, lookup by id in any tenant and by shared prefix."""

    def test_every_field_of_a_key_round_trips(self, store: Store) -> None:
        """A key with every field set reads back equal by get, find and prefix."""
        seed(store)
        key = full_api_key()
        with store.transaction() as uow:
            uow.api_keys.add(key)
        reader = store.reader()
        assert (reader.api_keys.get(ACME, key.id), reader.api_keys.find(key.id)) == (key, key)
        assert reader.api_keys.find_by_prefix(key.token_prefix) == [key]

    def test_another_tenants_key_is_not_found(self, store: Store) -> None:
        """``get`` under the wrong tenant raises NotFound; ``find`` looks in every tenant."""
        seed(store)
        with store.transaction() as uow:
            uow.api_keys.add(make_api_key("key_1", tenant_id=GLOBEX))
        for tenant_id, key_id in ((ACME, "key_1"), (GLOBEX, "key_2")):
            with pytest.raises(NotFound):
                store.reader().api_keys.get(tenant_id, key_id)
        assert store.reader().api_keys.find("key_1") == make_api_key("key_1", tenant_id=GLOBEX)
        assert store.reader().api_keys.find("key_2") is None

    def test_find_by_prefix_answers_every_key_sharing_it(self, store: Store) -> None:
        """Keys of any tenant with the same prefix all come back, sorted by id."""
        seed(store)
        with store.transaction() as uow:
            uow.api_keys.add(make_api_key("key_c", token_prefix="tk_aaaaaaaa"))
            uow.api_keys.add(make_api_key("key_a", tenant_id=GLOBEX, token_prefix="tk_aaaaaaaa"))
            uow.api_keys.add(make_api_key("key_b", token_prefix="tk_bbbbbbbb"))
            uow.api_keys.add(make_api_key("key_d", token_prefix="tk_aaaaaaaa", revoked=True))
        reader = store.reader()
        assert ids(reader.api_keys.find_by_prefix("tk_aaaaaaaa")) == ["key_a", "key_c", "key_d"]
        assert reader.api_keys.find_by_prefix("tk_aaaaaaa") == []

    def test_update_revokes(self, store: Store) -> None:
        """An updated key reads back exactly as written."""
        seed(store)
        with store.transaction() as uow:
            uow.api_keys.add(make_api_key("key_full"))
        with store.transaction() as uow:
            uow.api_keys.update(full_api_key())
        assert store.reader().api_keys.get(ACME, "key_full") == full_api_key()

    def test_update_of_an_unknown_key_is_not_found(self, store: Store) -> None:
        """Updating a key that is not stored raises NotFound and creates nothing."""
        seed(store)
        with pytest.raises(NotFound), store.transaction() as uow:
            uow.api_keys.update(make_api_key("key_ghost"))
        assert store.reader().api_keys.find("key_ghost") is None

    def test_a_duplicate_key_id_or_unknown_tenant_is_refused(self, store: Store) -> None:
        """A repeated id raises Conflict and a key of an unknown tenant raises NotFound."""
        seed(store)
        with store.transaction() as uow:
            uow.api_keys.add(make_api_key("key_1"))
        with pytest.raises(Conflict), store.transaction() as uow:
            uow.api_keys.add(make_api_key("key_1", tenant_id=GLOBEX))
        with pytest.raises(NotFound), store.transaction() as uow:
            uow.api_keys.add(make_api_key("key_2", tenant_id="ghost"))
        assert store.reader().api_keys.find("key_1") == make_api_key("key_1")

    def test_list_is_the_tenants_keys_newest_first_and_paged(self, store: Store) -> None:
        """Keys list by created_at then id, descending, only the tenant's, with paging."""
        seed(store)
        with store.transaction() as uow:
            for key_id, seconds in (("key_a", 5), ("key_c", 7), ("key_b", 7), ("key_d", 1)):
                uow.api_keys.add(make_api_key(key_id, created_at=at(seconds)))
            uow.api_keys.add(make_api_key("key_z", tenant_id=GLOBEX, created_at=at(9)))
        expected = ["key_c", "key_b", "key_a", "key_d"]
        assert ids(store.reader().api_keys.list(ACME, EVERYONE).items) == expected
        _expect_pages(lambda page: store.reader().api_keys.list(ACME, page), expected)
