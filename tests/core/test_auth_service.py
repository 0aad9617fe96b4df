"""Identity through the Python API: signup, login and its throttle, sessions, invites, API keys."""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError

from talentos_core import (
    AcceptInvite,
    Actor,
    Credentials,
    EmailTaken,
    Forbidden,
    InvalidCredentials,
    InvalidToken,
    InviteRequest,
    NewApiKey,
    NotFound,
    RateLimited,
    Role,
    Settings,
    Signup,
    TalentOS,
    Unauthenticated,
    ValidationError,
)
from talentos_core.domain.api_keys import ApiKey, MintedKey
from talentos_core.identity.passwords import Passwords
from talentos_core.identity.tokens import hash_api_key, sha256_hex
from talentos_core.ids import RandomIds
from talentos_core.ports import Store, UnitOfWork
from talentos_core.services.auth import IssuedInvite, SignedIn
from talentos_core.settings import ARGON2_FLOOR, Argon2Parameters, InvalidSetting, parse_argon2
from talentos_core.testing import (
    CHEAP_ARGON2,
    DEFAULT_PASSWORD,
    EPOCH,
    TEST_AUDIT_KEY,
    FrozenClock,
    sign_up,
    teammate,
)

HEX64 = re.compile(r"[0-9a-f]{64}")
PUBLIC = Actor.public()
ADMIN_EMAIL = "admin@acme-bank.example"


def login(
    talentos: TalentOS,
    email: str = ADMIN_EMAIL,
    password: str = DEFAULT_PASSWORD,
    replaces: str | None = None,
) -> SignedIn:
    return talentos.auth.login(PUBLIC, Credentials(email, password), replaces=replaces)


def stored_password_hash(talentos: TalentOS, email: str = ADMIN_EMAIL) -> str:
    user = talentos.store.reader().users.find_by_email(email)
    assert user is not None and user.password_hash is not None
    return user.password_hash


def invite_token(url: str) -> str:
    match = re.search(r"[?&]token=([^&]+)$", url)
    assert match is not None, url
    return match.group(1)


def stored_texts(talentos: TalentOS) -> Iterator[str]:
    """Every piece of text the store holds, whichever backend it is."""
    store = talentos.store
    if store.backend == "sqlite":
        with contextlib.closing(sqlite3.connect(store.path)) as db:  # type: ignore[attr-defined]
            tables = [
                row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
            for table in tables:
                cursor = db.execute(f'SELECT * FROM "{table}"')
                for row in cursor.fetchall():
                    yield from (str(value) for value in row if value is not None)
    else:
        tables = store._tables.data  # type: ignore[attr-defined]  # the memory store's rows
        for rows in tables.values():
            for key, value in rows.items():
                yield str(key)
                yield repr(attrs.asdict(value)) if attrs.has(type(value)) else repr(value)


class TestSignup:
    def test_creates_a_tenant_named_by_the_company_slug(self, talentos: TalentOS) -> None:
        """Signing up "Acme Bank" creates tenant `acme-bank`, the next one `acme-bank-2`."""
        first = talentos.auth.signup(
            PUBLIC, Signup("Acme Bank", "Ada", "ada@acme.example", DEFAULT_PASSWORD)
        )
        second = talentos.auth.signup(
            PUBLIC, Signup("Acme Bank", "Bob", "bob@acme.example", DEFAULT_PASSWORD)
        )
        assert (first.tenant.id, second.tenant.id) == ("acme-bank", "acme-bank-2")
        assert (first.user.tenant_id, second.user.tenant_id) == ("acme-bank", "acme-bank-2")

    def test_the_first_user_is_an_unverified_admin(self, talentos: TalentOS) -> None:
        """The signing-up user is an admin whose email is not yet verified."""
        signed_in = talentos.auth.signup(
            PUBLIC, Signup("Acme Bank", "Ada", ADMIN_EMAIL, DEFAULT_PASSWORD)
        )
        assert signed_in.user.role == Role.ADMIN
        assert signed_in.user.email_verified is False
        actor = talentos.auth.authenticate_session(signed_in.session_token)
        assert (actor.role, actor.tenant_id) == (Role.ADMIN, "acme-bank")

    @pytest.mark.parametrize("email", [ADMIN_EMAIL, ADMIN_EMAIL.upper(), "Admin@Acme-Bank.Example"])
    def test_an_email_is_taken_in_any_case(self, talentos: TalentOS, email: str) -> None:
        """A second signup with the same email, in any letter case, is EmailTaken."""
        sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        with pytest.raises(EmailTaken):
            talentos.auth.signup(PUBLIC, Signup("Other Co", "Eve", email, DEFAULT_PASSWORD))
        assert talentos.store.reader().tenants.find("other-co") is None

    @pytest.mark.parametrize(
        ("signup", "field"),
        [
            (Signup("Acme Bank", "Ada", ADMIN_EMAIL, "nine char"), "password"),
            (Signup("Acme Bank", "Ada", "not-an-email", DEFAULT_PASSWORD), "admin_email"),
            (Signup("Acme Bank", "Ada", "ada@localhost", DEFAULT_PASSWORD), "admin_email"),
            (Signup("", "Ada", ADMIN_EMAIL, DEFAULT_PASSWORD), "company_name"),
        ],
    )
    def test_invalid_input_names_the_field(
        self, talentos: TalentOS, signup: Signup, field: str
    ) -> None:
        """A short password, a bad email or an empty company is a ValidationError naming it."""
        with pytest.raises(ValidationError) as caught:
            talentos.auth.signup(PUBLIC, signup)
        assert list(caught.value.fields) == [field]
        assert talentos.store.reader().tenants.all_ids() == []

    def test_a_ten_character_password_is_enough(self, talentos: TalentOS) -> None:
        """Ten characters is the shortest password accepted."""
        signed_in = talentos.auth.signup(
            PUBLIC, Signup("Acme Bank", "Ada", ADMIN_EMAIL, "ten chars!")
        )
        assert login(talentos, password="ten chars!").user.id == signed_in.user.id


class TestLogin:
    def test_email_is_compared_without_case(self, talentos: TalentOS) -> None:
        """Logging in with the email in another case finds the same user."""
        admin = sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        assert login(talentos, "  ADMIN@Acme-Bank.EXAMPLE ").user.id == admin.id

    def test_unknown_email_and_wrong_password_fail_identically(self, talentos: TalentOS) -> None:
        """An unknown email and a wrong password raise the same class with the same message."""
        sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        with pytest.raises(InvalidCredentials) as unknown:
            login(talentos, "nobody@acme-bank.example")
        with pytest.raises(InvalidCredentials) as wrong:
            login(talentos, password="wrong password")
        assert type(unknown.value) is type(wrong.value) is InvalidCredentials
        assert unknown.value.code == wrong.value.code
        assert unknown.value.message == wrong.value.message
        assert str(unknown.value) == str(wrong.value)

    def test_each_login_issues_a_new_session_token(self, talentos: TalentOS) -> None:
        """Every login answers a fresh 64-hex session token; earlier ones stay valid."""
        sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        first, second = login(talentos), login(talentos)
        assert first.session_token != second.session_token
        assert HEX64.fullmatch(first.session_token) and HEX64.fullmatch(second.session_token)
        talentos.auth.authenticate_session(first.session_token)
        talentos.auth.authenticate_session(second.session_token)

    def test_login_replacing_a_session_ends_the_old_one(self, talentos: TalentOS) -> None:
        """A login that replaces a pre-login session makes the old token Unauthenticated."""
        sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        old = login(talentos).session_token
        new = login(talentos, replaces=old).session_token
        with pytest.raises(Unauthenticated):
            talentos.auth.authenticate_session(old)
        assert talentos.auth.authenticate_session(new).tenant_id == "acme-bank"


class TestLoginThrottle:
    def fail(self, talentos: TalentOS, times: int, email: str = ADMIN_EMAIL) -> None:
        for _ in range(times):
            with pytest.raises(InvalidCredentials):
                login(talentos, email, "wrong password")

    def test_five_failures_lock_even_the_right_password(self, talentos: TalentOS) -> None:
        """After five failures within 15 minutes the right password is RateLimited too."""
        sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        self.fail(talentos, 5)
        with pytest.raises(RateLimited) as caught:
            login(talentos)
        assert 0 < caught.value.retry_after <= 15 * 60 + 1

    def test_four_failures_do_not_lock(self, talentos: TalentOS) -> None:
        """Four failures still let the right password in."""
        sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        self.fail(talentos, 4)
        assert login(talentos).user.email == ADMIN_EMAIL

    def test_the_lock_lasts_until_the_window_passes(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """A locked account stays locked just before the window ends and opens after retry_after."""
        sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        self.fail(talentos, 5)
        with pytest.raises(RateLimited) as first:
            login(talentos)
        clock.advance(minutes=15, seconds=-1)
        with pytest.raises(RateLimited) as later:
            login(talentos)
        assert later.value.retry_after < first.value.retry_after
        clock.advance(seconds=later.value.retry_after)
        assert login(talentos).user.email == ADMIN_EMAIL

    def test_failures_older_than_the_window_do_not_count(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """Four failures, a pause longer than 15 minutes, then four more do not lock."""
        sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        self.fail(talentos, 4)
        clock.advance(minutes=15, seconds=1)
        self.fail(talentos, 4)
        assert login(talentos).user.email == ADMIN_EMAIL

    def test_a_success_before_the_fifth_failure_clears_the_count(self, talentos: TalentOS) -> None:
        """Four failures, a success, and four more failures still let the right password in."""
        sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        self.fail(talentos, 4)
        login(talentos)
        self.fail(talentos, 4)
        assert login(talentos).user.email == ADMIN_EMAIL

    def test_failures_count_per_email_in_any_case(self, talentos: TalentOS) -> None:
        """Failures typed in different letter cases add up for the one account."""
        sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        for email in (
            ADMIN_EMAIL,
            ADMIN_EMAIL.upper(),
            "Admin@acme-bank.example",
            ADMIN_EMAIL,
            ADMIN_EMAIL.title(),
        ):
            self.fail(talentos, 1, email)
        with pytest.raises(RateLimited):
            login(talentos)

    def test_failures_do_not_lock_other_accounts(self, talentos: TalentOS) -> None:
        """Five failures for one email leave another account's login alone."""
        sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        sign_up(talentos, "Other Co", "admin@other.example")
        self.fail(talentos, 5)
        assert login(talentos, "admin@other.example").user.tenant_id == "other-co"

    def test_failures_for_unknown_emails_count_too(self, talentos: TalentOS) -> None:
        """Five failures for an unknown email make the sixth attempt RateLimited."""
        self.fail(talentos, 5, "ghost@nowhere.example")
        with pytest.raises(RateLimited):
            login(talentos, "ghost@nowhere.example")


#: Repository methods that write (every other method only reads).
WRITES = frozenset(
    {"add", "update", "delete", "delete_for_user", "record", "clear", "forget_before", "append"}
)


class CountingStore:
    """A store that logs, per transaction, the repository writes made in it (``log``), and
    any write made outside one (``loose``)."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.backend = inner.backend
        self.log: list[list[str]] = []
        self.loose: list[str] = []

    @contextlib.contextmanager
    def transaction(self) -> Iterator[UnitOfWork]:
        writes: list[str] = []
        self.log.append(writes)
        with self.inner.transaction() as uow:
            yield _Counted(uow, writes)  # type: ignore[misc]  # a proxy of the unit of work

    def reader(self) -> UnitOfWork:
        return _Counted(self.inner.reader(), self.loose)  # type: ignore[return-value]

    def snapshot(self) -> Any:
        return self.inner.snapshot()

    def probe(self) -> None:
        self.inner.probe()

    def close(self) -> None:
        self.inner.close()


class _Counted:
    """A unit of work (or a repository) that notes each write call as ``repository.method``."""

    def __init__(self, inner: Any, writes: list[str], name: str = "") -> None:
        self._inner, self._writes, self._name = inner, writes, name

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._inner, name)
        if not self._name:
            return _Counted(found, self._writes, name)
        if name in WRITES:

            def write(*args: Any, **kwargs: Any) -> Any:
                self._writes.append(f"{self._name}.{name}")
                return found(*args, **kwargs)

            return write
        return found


class TestLoginTiming:
    """A failed login costs the same whether the email exists or not (CONTRACT §4): the same
    hash work and the same durable writes."""

    def failed_login_writes(self, talentos: TalentOS, email: str) -> list[int]:
        """How many writes each transaction of one failed login for ``email`` made."""
        counting = CountingStore(talentos.store)
        counted = TalentOS(attrs.evolve(talentos.deps, store=counting))
        with pytest.raises(InvalidCredentials):
            counted.auth.login(PUBLIC, Credentials(email, "wrong password"))
        assert counting.loose == []
        return [len(writes) for writes in counting.log]

    def test_known_invited_and_unknown_emails_make_the_same_writes(
        self, talentos: TalentOS
    ) -> None:
        """A wrong password, an invited user's attempt and an unknown email each commit the
        same number of transactions, each with the same number of writes."""
        admin = sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        talentos.auth.invite(admin, InviteRequest("new@acme-bank.example", "New", Role.RECRUITER))
        known = self.failed_login_writes(talentos, ADMIN_EMAIL)
        invited = self.failed_login_writes(talentos, "new@acme-bank.example")
        unknown = self.failed_login_writes(talentos, "nobody@acme-bank.example")
        assert known == invited == unknown
        assert len(known) == 2

    def test_an_unknown_email_still_locks_after_exactly_five_failures(
        self, talentos: TalentOS
    ) -> None:
        """An unknown email's extra failure row never counts: four failures leave the fifth
        attempt InvalidCredentials, and only the sixth is RateLimited, as for a real account."""
        for _ in range(5):
            with pytest.raises(InvalidCredentials):
                login(talentos, "ghost@nowhere.example", "wrong password")
        with pytest.raises(RateLimited):
            login(talentos, "ghost@nowhere.example", "wrong password")

    def test_the_extra_failure_rows_are_swept_by_later_logins(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """The rows an unknown email's failures leave behind are all gone once the window
        has passed and anyone logs in again."""
        sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        for _ in range(3):
            with pytest.raises(InvalidCredentials):
                login(talentos, "ghost@nowhere.example", "wrong password")
        clock.advance(minutes=15, seconds=1)
        login(talentos)
        long_before = EPOCH - timedelta(days=1)
        failures = talentos.store.reader().login_failures.since(
            "ghost@nowhere.example", long_before
        )
        assert failures == []


class TestPasswordHashing:
    def test_stored_hashes_are_argon2id_version_19(self, talentos: TalentOS) -> None:
        """A stored password hash starts with `$argon2id$v=19$` and is not the password."""
        sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        stored = stored_password_hash(talentos)
        assert stored.startswith("$argon2id$v=19$")
        assert DEFAULT_PASSWORD not in stored

    def test_login_rehashes_when_parameters_change(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """Logging in under new argon2 parameters upgrades the stored hash, which still verifies."""
        sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        before = stored_password_hash(talentos)
        stronger = Argon2Parameters(time_cost=2, memory_kib=16, parallelism=1)
        upgraded = TalentOS.build(
            talentos.store,
            settings=attrs.evolve(talentos.settings, argon2=stronger),
            clock=clock,
            ids=RandomIds(),
            audit_key=TEST_AUDIT_KEY,
        )
        # It shares the fixture's store, which the fixture closes: nothing of its own to close.
        login(upgraded)
        after = stored_password_hash(talentos)
        assert before.startswith(f"$argon2id$v=19$m={CHEAP_ARGON2.memory_kib},t=1,p=1$")
        assert after.startswith("$argon2id$v=19$m=16,t=2,p=1$")
        assert PasswordHasher().verify(after, DEFAULT_PASSWORD)
        login(upgraded)
        assert stored_password_hash(talentos) == after

    def test_login_keeps_a_hash_whose_parameters_are_current(self, talentos: TalentOS) -> None:
        """Logging in with unchanged parameters leaves the stored hash as it was."""
        sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        before = stored_password_hash(talentos)
        login(talentos)
        assert stored_password_hash(talentos) == before
        with pytest.raises(VerifyMismatchError):
            PasswordHasher().verify(before, "wrong password")

    def test_default_parameters_meet_the_owasp_floor(self) -> None:
        """The default argon2id parameters are at least m=19456 KiB and t=2."""
        defaults = Settings().argon2
        assert defaults.memory_kib >= 19456
        assert defaults.time_cost >= 2
        assert defaults.parallelism >= 1
        assert ARGON2_FLOOR == (2, 19456, 1)

    def test_production_hashes_carry_the_default_parameters(self) -> None:
        """A hash made with default settings records m >= 19456 and t >= 2 in its header."""
        stored = Passwords(Settings().argon2).hash(DEFAULT_PASSWORD)
        header = re.match(r"\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$", stored)
        assert header is not None
        assert int(header.group(1)) >= 19456
        assert int(header.group(2)) >= 2

    @pytest.mark.parametrize("text", ["1,19456,1", "2,19455,1", "2,19456,0", "1,8,1", "3,65536"])
    def test_parse_argon2_refuses_weaker_parameters(self, text: str) -> None:
        """Parameters under OWASP's floor (or malformed) are refused by parse_argon2."""
        with pytest.raises(InvalidSetting):
            parse_argon2(text)

    def test_parse_argon2_accepts_the_floor(self) -> None:
        """The floor itself is accepted."""
        assert parse_argon2("2,19456,1") == Argon2Parameters(2, 19456, 1)

    def test_the_environment_cannot_weaken_hashing(self) -> None:
        """TALENTOS_ARGON2 under the floor makes Settings.from_env refuse."""
        with pytest.raises(InvalidSetting):
            Settings.from_env({"TALENTOS_ARGON2": "1,8,1"})


class TestSessions:
    def test_a_session_lives_fourteen_days_however_active(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """A session used every day works until 14 days minus 1 s and is gone at 14 days."""
        token = talentos.auth.signup(
            PUBLIC, Signup("Acme Bank", "Ada", ADMIN_EMAIL, DEFAULT_PASSWORD)
        ).session_token
        for _ in range(13):
            clock.advance(days=1)
            talentos.auth.authenticate_session(token)
        clock.advance(days=1, seconds=-1)
        talentos.auth.authenticate_session(token)
        clock.advance(seconds=1)
        with pytest.raises(Unauthenticated):
            talentos.auth.authenticate_session(token)

    def test_logout_ends_only_that_session(self, talentos: TalentOS) -> None:
        """Logging out one session leaves the user's other sessions signed in."""
        sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        phone, laptop = login(talentos).session_token, login(talentos).session_token
        talentos.auth.logout(talentos.auth.authenticate_session(phone))
        with pytest.raises(Unauthenticated):
            talentos.auth.authenticate_session(phone)
        assert talentos.auth.authenticate_session(laptop).tenant_id == "acme-bank"

    def test_only_the_sha256_of_a_token_is_stored(self, talentos: TalentOS) -> None:
        """A session token is 64 hex; the store holds its SHA-256 and never the token."""
        token = talentos.auth.signup(
            PUBLIC, Signup("Acme Bank", "Ada", ADMIN_EMAIL, DEFAULT_PASSWORD)
        ).session_token
        assert HEX64.fullmatch(token)
        texts = list(stored_texts(talentos))
        assert not [text for text in texts if token in text]
        assert [text for text in texts if sha256_hex(token) in text]

    @pytest.mark.parametrize("token", ["", "0" * 64, "not a token", "A" * 64])
    def test_unknown_tokens_are_unauthenticated(self, talentos: TalentOS, token: str) -> None:
        """A token that matches no session is Unauthenticated."""
        sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        with pytest.raises(Unauthenticated):
            talentos.auth.authenticate_session(token)


class TestInvites:
    def invite(
        self,
        talentos: TalentOS,
        actor: Actor,
        email: str = "new@acme-bank.example",
        role: Role = Role.RECRUITER,
    ) -> IssuedInvite:
        return talentos.auth.invite(actor, InviteRequest(email, "New Person", role))

    def accept(self, talentos: TalentOS, token: str) -> SignedIn:
        return talentos.auth.accept_invite(PUBLIC, AcceptInvite(token, "a new password 1"))

    @pytest.mark.parametrize("inviter", [Role.ADMIN, Role.CHRO])
    def test_admin_and_chro_may_invite(self, talentos: TalentOS, inviter: Role) -> None:
        """Admins and CHROs may invite a recruiter into their own tenant."""
        admin = sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        actor = admin if inviter == Role.ADMIN else teammate(talentos, admin, Role.CHRO)
        issued = self.invite(talentos, actor)
        assert (issued.user.tenant_id, issued.user.role) == ("acme-bank", Role.RECRUITER)

    def test_a_chro_may_not_invite_an_admin(self, talentos: TalentOS) -> None:
        """A CHRO inviting an admin is Forbidden and creates no user."""
        chro = teammate(talentos, sign_up(talentos, "Acme Bank", ADMIN_EMAIL), Role.CHRO)
        with pytest.raises(Forbidden):
            self.invite(talentos, chro, role=Role.ADMIN)
        assert talentos.store.reader().users.find_by_email("new@acme-bank.example") is None

    @pytest.mark.parametrize(
        "inviter", [Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER, Role.AGENCY_ADMIN]
    )
    def test_other_roles_may_not_invite(self, talentos: TalentOS, inviter: Role) -> None:
        """A recruiter (or any role below chro) inviting anyone is Forbidden."""
        actor = teammate(talentos, sign_up(talentos, "Acme Bank", ADMIN_EMAIL), inviter)
        with pytest.raises(Forbidden):
            self.invite(talentos, actor, role=Role.INTERVIEWER)

    def test_the_invite_url_carries_a_64_hex_token(self, talentos: TalentOS) -> None:
        """The invite URL leads to /accept-invite with a 64-hex token that is stored hashed."""
        issued = self.invite(talentos, sign_up(talentos, "Acme Bank", ADMIN_EMAIL))
        assert "/accept-invite?token=" in issued.invite_url
        token = invite_token(issued.invite_url)
        assert HEX64.fullmatch(token)
        assert not [text for text in stored_texts(talentos) if token in text]

    def test_accepting_sets_the_password_verifies_and_signs_in(self, talentos: TalentOS) -> None:
        """Accepting sets the password, verifies the email and opens a session."""
        issued = self.invite(talentos, sign_up(talentos, "Acme Bank", ADMIN_EMAIL))
        signed_in = self.accept(talentos, invite_token(issued.invite_url))
        assert signed_in.user.email_verified is True
        actor = talentos.auth.authenticate_session(signed_in.session_token)
        assert (actor.id, actor.role, actor.tenant_id) == (
            issued.user.id,
            Role.RECRUITER,
            "acme-bank",
        )
        assert login(talentos, "new@acme-bank.example", "a new password 1").user.id == actor.id

    def test_a_token_works_once(self, talentos: TalentOS) -> None:
        """A second accept with the same token is InvalidToken."""
        token = invite_token(self.invite(talentos, sign_up(talentos)).invite_url)
        self.accept(talentos, token)
        with pytest.raises(InvalidToken):
            self.accept(talentos, token)

    def test_a_token_expires_after_seven_days(self, talentos: TalentOS, clock: FrozenClock) -> None:
        """An invite token seven days old is InvalidToken, and the user stays invited."""
        token = invite_token(self.invite(talentos, sign_up(talentos)).invite_url)
        clock.advance(days=7)
        with pytest.raises(InvalidToken):
            self.accept(talentos, token)
        with pytest.raises(InvalidCredentials):
            login(talentos, "new@acme-bank.example", "a new password 1")

    def test_a_token_works_until_just_before_seven_days(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """An invite token seven days minus one second old is still accepted."""
        token = invite_token(self.invite(talentos, sign_up(talentos)).invite_url)
        clock.advance(days=7, seconds=-1)
        assert self.accept(talentos, token).user.email_verified is True

    def test_re_inviting_replaces_the_old_token(self, talentos: TalentOS) -> None:
        """Re-inviting a still-invited email makes the earlier token InvalidToken."""
        admin = sign_up(talentos)
        old = invite_token(self.invite(talentos, admin).invite_url)
        new = invite_token(self.invite(talentos, admin, role=Role.HIRING_MANAGER).invite_url)
        with pytest.raises(InvalidToken):
            self.accept(talentos, old)
        assert self.accept(talentos, new).user.role == Role.HIRING_MANAGER

    @pytest.mark.parametrize("email", [ADMIN_EMAIL, ADMIN_EMAIL.upper()])
    def test_inviting_an_active_users_email_is_email_taken(
        self, talentos: TalentOS, email: str
    ) -> None:
        """Inviting the email of an existing active user, in any case, is EmailTaken."""
        admin = sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        with pytest.raises(EmailTaken):
            self.invite(talentos, admin, email=email)

    def test_another_tenants_invitee_cannot_be_taken_over(self, talentos: TalentOS) -> None:
        """Inviting an email still invited by another tenant is EmailTaken; their token works."""
        acme = sign_up(talentos, "Acme Bank", ADMIN_EMAIL)
        other = sign_up(talentos, "Other Co", "admin@other.example")
        token = invite_token(self.invite(talentos, acme).invite_url)
        with pytest.raises(EmailTaken):
            self.invite(talentos, other)
        assert self.accept(talentos, token).user.tenant_id == "acme-bank"

    def test_an_invited_user_cannot_log_in_before_accepting(self, talentos: TalentOS) -> None:
        """Before accepting, any login for the invited email is InvalidCredentials."""
        self.invite(talentos, sign_up(talentos))
        with pytest.raises(InvalidCredentials):
            login(talentos, "new@acme-bank.example", "a new password 1")
        with pytest.raises(InvalidCredentials):
            login(talentos, "new@acme-bank.example", "decoy password for unknown accounts")

    @pytest.mark.parametrize("token", ["0" * 64, "f" * 64, "not-a-token"])
    def test_unknown_tokens_are_invalid(self, talentos: TalentOS, token: str) -> None:
        """A token that was never issued is InvalidToken."""
        self.invite(talentos, sign_up(talentos))
        with pytest.raises(InvalidToken):
            self.accept(talentos, token)


class TestLapsedInvites:
    """An invitation nobody accepted stops holding the address once it can no longer be."""

    INVITEE = "new@acme-bank.example"

    def invite(self, talentos: TalentOS, actor: Actor) -> IssuedInvite:
        return talentos.auth.invite(actor, InviteRequest(self.INVITEE, "New Person"))

    def signup_as_invitee(self, talentos: TalentOS) -> SignedIn:
        return talentos.auth.signup(
            PUBLIC, Signup("Own Co", "New Person", self.INVITEE, DEFAULT_PASSWORD)
        )

    def accept(self, talentos: TalentOS, token: str) -> SignedIn:
        return talentos.auth.accept_invite(PUBLIC, AcceptInvite(token, DEFAULT_PASSWORD))

    def test_the_invitee_may_sign_up_once_the_invite_has_expired(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """Seven days after an unaccepted invite, its invitee signs up with the same address
        and the stale invited user is gone from the inviting tenant."""
        admin = sign_up(talentos)
        stale = self.invite(talentos, admin).user
        clock.advance(days=7)
        signed_in = self.signup_as_invitee(talentos)
        assert (signed_in.tenant.id, signed_in.user.email) == ("own-co", self.INVITEE)
        assert stale.id not in [user.id for user in talentos.tenants.team(admin).items]
        with pytest.raises(NotFound):
            talentos.store.reader().users.get("acme-bank", stale.id)

    def test_the_release_is_audited_by_id_in_the_inviting_tenant(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """The inviting tenant's trail gets `user.invite_expired` about the stale user, by the
        system, naming nobody by email and nothing of who took the address."""
        admin = sign_up(talentos)
        stale = self.invite(talentos, admin).user
        clock.advance(days=8)
        self.signup_as_invitee(talentos)
        events = list(talentos.store.reader().audit.stream("acme-bank"))
        last = events[-1]
        assert (last.type, last.entity_type, last.entity_id) == (
            "user.invite_expired",
            "user",
            stale.id,
        )
        assert (last.actor_type, last.actor_email, last.ip) == ("system", None, None)
        assert self.INVITEE not in repr(attrs.asdict(last))
        assert "own-co" not in repr(attrs.asdict(last))
        [verdict] = talentos.audit.verify("acme-bank")
        assert verdict.ok

    def test_another_tenant_may_invite_the_address_once_the_invite_has_expired(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """After the first invite expires, another tenant's invite takes the address, its link
        works, and the first link stays dead."""
        acme, other = sign_up(talentos), sign_up(talentos, "Other Co")
        old_token = invite_token(self.invite(talentos, acme).invite_url)
        clock.advance(days=7)
        issued = self.invite(talentos, other)
        with pytest.raises(InvalidToken):
            self.accept(talentos, old_token)
        accepted = self.accept(talentos, invite_token(issued.invite_url))
        assert (accepted.user.tenant_id, accepted.user.email) == ("other-co", self.INVITEE)

    def test_a_live_invite_still_holds_the_address(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """One second before the invite expires, signing up or another tenant inviting that
        address is EmailTaken, and the invite still works."""
        acme, other = sign_up(talentos), sign_up(talentos, "Other Co")
        token = invite_token(self.invite(talentos, acme).invite_url)
        clock.advance(days=7, seconds=-1)
        with pytest.raises(EmailTaken):
            self.signup_as_invitee(talentos)
        with pytest.raises(EmailTaken):
            self.invite(talentos, other)
        assert self.accept(talentos, token).user.tenant_id == "acme-bank"

    def test_an_invite_used_without_acceptance_frees_the_address(self, talentos: TalentOS) -> None:
        """An invitee whose only invite is marked used while they are still invited holds
        nothing: the address is free at once."""
        token = invite_token(self.invite(talentos, sign_up(talentos)).invite_url)
        reader = talentos.store.reader()
        invite = reader.invites.find(sha256_hex(token))
        assert invite is not None
        with talentos.store.transaction() as uow:
            uow.invites.update(attrs.evolve(invite, used_at=invite.created_at))
        assert self.signup_as_invitee(talentos).user.email == self.INVITEE

    def test_an_accepted_invitee_is_never_released(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """Once accepted, the address stays taken however old the invite gets."""
        self.accept(talentos, invite_token(self.invite(talentos, sign_up(talentos)).invite_url))
        clock.advance(days=30)
        with pytest.raises(EmailTaken):
            self.signup_as_invitee(talentos)
        assert login(talentos, self.INVITEE).user.tenant_id == "acme-bank"

    def test_re_inviting_a_lapsed_invitee_in_the_same_tenant_keeps_the_user(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """The inviting tenant re-inviting after expiry replaces the invite of the same user."""
        admin = sign_up(talentos)
        first = self.invite(talentos, admin).user
        clock.advance(days=10)
        again = self.invite(talentos, admin)
        token = invite_token(again.invite_url)
        assert again.user.id == first.id
        assert self.accept(talentos, token).user.id == first.id


class TestApiKeyAuthentication:
    def mint(self, talentos: TalentOS, admin: Actor, name: str = "ci") -> MintedKey:
        return talentos.api_keys.mint(admin, NewApiKey(name))

    def test_a_key_is_tk_and_64_hex_shown_with_an_8_hex_prefix(self, talentos: TalentOS) -> None:
        """A minted key is `tk_` + 64 hex; its stored prefix is `tk_` + its first 8 hex."""
        minted = self.mint(talentos, sign_up(talentos))
        assert re.fullmatch(r"tk_[0-9a-f]{64}", minted.raw_token)
        assert re.fullmatch(r"tk_[0-9a-f]{8}", minted.key.token_prefix)
        assert minted.raw_token.startswith(minted.key.token_prefix)

    def test_a_key_authenticates_as_itself(self, talentos: TalentOS) -> None:
        """The raw token authenticates as an api_key actor of the key's tenant and role."""
        minted = self.mint(talentos, sign_up(talentos))
        actor = talentos.auth.authenticate_api_key(minted.raw_token)
        assert (actor.type, actor.id, actor.tenant_id, actor.role) == (
            "api_key",
            minted.key.id,
            "acme-bank",
            Role.ADMIN,
        )

    def test_revocation_takes_effect_on_the_next_call(self, talentos: TalentOS) -> None:
        """A key used once and then revoked is Unauthenticated on the very next call."""
        admin = sign_up(talentos)
        minted = self.mint(talentos, admin)
        talentos.auth.authenticate_api_key(minted.raw_token)
        talentos.api_keys.revoke(admin, minted.key.id)
        with pytest.raises(Unauthenticated):
            talentos.auth.authenticate_api_key(minted.raw_token)

    def test_revocation_elsewhere_beats_this_process_cache(self, talentos: TalentOS) -> None:
        """A key revoked in the store by another process is refused despite the local cache."""
        minted = self.mint(talentos, sign_up(talentos))
        talentos.auth.authenticate_api_key(minted.raw_token)
        with talentos.store.transaction() as uow:
            uow.api_keys.update(attrs.evolve(minted.key, revoked=True))
        with pytest.raises(Unauthenticated):
            talentos.auth.authenticate_api_key(minted.raw_token)

    def test_keys_sharing_a_prefix_both_authenticate(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """Two keys with the same 8-hex prefix each authenticate as themselves, no other."""
        sign_up(talentos)
        raws = ["tk_deadbeef" + "1" * 56, "tk_deadbeef" + "2" * 56]
        with talentos.store.transaction() as uow:
            for number, raw in enumerate(raws, start=1):
                uow.api_keys.add(
                    ApiKey(
                        id=f"key_shared{number:014d}",
                        tenant_id="acme-bank",
                        name=f"k{number}",
                        token_prefix="tk_deadbeef",
                        role=Role.RECRUITER,
                        created_at=clock.now(),
                        created_by=ADMIN_EMAIL,
                        key_hash=hash_api_key(raw),
                    )
                )
        ids = [talentos.auth.authenticate_api_key(raw).id for raw in raws]
        assert ids == ["key_shared00000000000001", "key_shared00000000000002"]
        with pytest.raises(Unauthenticated):
            talentos.auth.authenticate_api_key("tk_deadbeef" + "3" * 56)

    @pytest.mark.parametrize(
        "token",
        [
            "",
            "tk_",
            "tk_" + "a" * 63,
            "tk_" + "a" * 65,
            "tk_" + "A" * 64,
            "TK_" + "a" * 64,
            "sk_" + "a" * 64,
            " tk_" + "a" * 64,
            "tk_" + "a" * 64 + "\n",
            "tk_" + "g" * 64,
            "Bearer tk_" + "a" * 64,
        ],
    )
    def test_malformed_tokens_are_unauthenticated(self, talentos: TalentOS, token: str) -> None:
        """A token that is not exactly `tk_` + 64 lower-case hex is Unauthenticated."""
        self.mint(talentos, sign_up(talentos))
        with pytest.raises(Unauthenticated):
            talentos.auth.authenticate_api_key(token)

    def test_a_near_miss_of_a_real_key_is_unauthenticated(self, talentos: TalentOS) -> None:
        """A well-formed token differing from a real key in its last digit is Unauthenticated."""
        raw = self.mint(talentos, sign_up(talentos)).raw_token
        other = raw[:-1] + ("0" if raw[-1] != "0" else "1")
        with pytest.raises(Unauthenticated):
            talentos.auth.authenticate_api_key(other)

    def test_last_used_is_written_at_most_once_a_minute(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """lastUsedAt is set on first use, unchanged 30 s later, and moved 61 s after it."""
        minted = self.mint(talentos, sign_up(talentos))

        def last_used() -> datetime | None:
            key = talentos.store.reader().api_keys.find(minted.key.id)
            assert key is not None
            return key.last_used_at

        assert last_used() is None
        first = clock.now()
        talentos.auth.authenticate_api_key(minted.raw_token)
        assert last_used() == first
        clock.advance(seconds=30)
        talentos.auth.authenticate_api_key(minted.raw_token)
        assert last_used() == first
        clock.advance(seconds=31)
        talentos.auth.authenticate_api_key(minted.raw_token)
        assert last_used() == first + timedelta(seconds=61)

    def test_the_raw_token_is_stored_nowhere(self, talentos: TalentOS) -> None:
        """After minting and using a key, its 64 hex digits appear in no stored field."""
        admin = sign_up(talentos)
        minted = self.mint(talentos, admin)
        talentos.auth.authenticate_api_key(minted.raw_token)
        talentos.api_keys.revoke(admin, minted.key.id)
        secret_part = minted.raw_token[3:]
        texts = list(stored_texts(talentos))
        assert [text for text in texts if minted.key.token_prefix in text]
        assert not [text for text in texts if secret_part in text]
