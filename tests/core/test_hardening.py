"""Rules that protect the installation against hostile or unlucky input."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import falcon.testing
import pytest

from talentos_core import (
    Actor,
    ClientEvent,
    Credentials,
    InvalidCredentials,
    NewApiKey,
    NewVacancy,
    RateLimited,
    Settings,
    Signup,
    TalentOS,
    TenantPatch,
    ValidationError,
)
from talentos_core.audit.chain import load_or_create_key
from talentos_core.backends.sqlite import SQLiteStore
from talentos_core.bootstrap import audit_key_for
from talentos_core.errors import Unavailable
from talentos_core.settings import InvalidSetting
from talentos_core.testing import DEFAULT_PASSWORD, TEST_AUDIT_KEY, sign_up, test_settings


def nested(levels: int) -> dict[str, object]:
    data: dict[str, object] = {}
    for _ in range(levels - 1):
        data = {"x": data}
    return data


class TestClientAuditData:
    def test_data_nested_too_deeply_is_refused(self, talentos: TalentOS) -> None:
        """Client data nesting past 32 levels is a ValidationError naming ``data``, not stored."""
        admin = sign_up(talentos)
        with pytest.raises(ValidationError) as caught:
            talentos.audit.record(admin, ClientEvent(type="deep", data=nested(40)))
        assert list(caught.value.fields) == ["data"]
        assert talentos.audit.list(admin).total == 1  # only the signup

    def test_data_nested_32_levels_is_stored(self, talentos: TalentOS) -> None:
        """32 levels is allowed and the event reads back."""
        admin = sign_up(talentos)
        event = talentos.audit.record(admin, ClientEvent(type="deep", data=nested(32)))
        assert talentos.audit.list(admin).items[0].data == event.data


class TestLoginThrottleUnderConcurrency:
    def test_parallel_guesses_cannot_slip_under_the_limit(self, talentos: TalentOS) -> None:
        """16 simultaneous wrong passwords: at most 5 are checked, the rest are 429."""
        sign_up(talentos, email="ann@acme.example")
        outcomes: list[type[Exception]] = []
        lock = threading.Lock()

        def guess() -> None:
            try:
                talentos.auth.login(Actor.public(), Credentials("ann@acme.example", "wrong guess!"))
            except (InvalidCredentials, RateLimited) as error:
                with lock:
                    outcomes.append(type(error))

        threads = [threading.Thread(target=guess) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert outcomes.count(InvalidCredentials) == 5
        assert outcomes.count(RateLimited) == 11
        if talentos.store.backend == "sqlite":
            talentos.store.close()  # connections of the finished threads

    def test_a_success_still_clears_the_count(self, talentos: TalentOS) -> None:
        """Four failures, then the right password: the next failure starts a fresh count."""
        sign_up(talentos, email="ann@acme.example")
        for _ in range(4):
            with pytest.raises(InvalidCredentials):
                talentos.auth.login(Actor.public(), Credentials("ann@acme.example", "nope nope!"))
        talentos.auth.login(Actor.public(), Credentials("ann@acme.example", DEFAULT_PASSWORD))
        for _ in range(4):
            with pytest.raises(InvalidCredentials):
                talentos.auth.login(Actor.public(), Credentials("ann@acme.example", "nope nope!"))


class TestBlankInput:
    @pytest.mark.parametrize("title", [" ", "\t\n", "\u3000"])
    def test_a_blank_title_is_refused(self, talentos: TalentOS, title: str) -> None:
        """A title of only white space is not a title."""
        admin = sign_up(talentos)
        with pytest.raises(ValidationError) as caught:
            talentos.vacancies.create(admin, NewVacancy(title=title))
        assert caught.value.fields == {"title": "must not be blank"}

    def test_a_blank_company_name_is_refused(self, talentos: TalentOS) -> None:
        """Signing up with a company name of spaces is refused, not made into ``tenant``."""
        with pytest.raises(ValidationError):
            talentos.auth.signup(Actor.public(), Signup("   ", "Ann", "a@b.example", "x" * 12))


class TestApiKeyActors:
    def test_a_keys_actions_name_the_key_not_its_minter(self, talentos: TalentOS) -> None:
        """Events caused with an API key carry the key's id and no person's email."""
        admin = sign_up(talentos)
        minted = talentos.api_keys.mint(admin, NewApiKey(name="sync"))
        by_key = talentos.auth.authenticate_api_key(minted.raw_token)
        talentos.vacancies.create(by_key, NewVacancy(title="Via key"))
        event = talentos.audit.list(by_key).items[0]
        assert (event.actor_type, event.actor_id, event.actor_email) == (
            "api_key",
            minted.key.id,
            None,
        )


class TestNumbersReadBackAlike:
    def test_a_whole_budget_reads_back_as_a_float(self, talentos: TalentOS) -> None:
        """``monthlyBudgetUsd`` of 5 reads back as 5.0 on both backends (a REAL column)."""
        admin = sign_up(talentos)
        talentos.tenants.update(admin, TenantPatch(monthly_budget_usd=5))
        stored = talentos.tenants.get(admin).monthly_budget_usd
        assert (stored, type(stored)) == (5.0, float)


class TestAuditVerifyCoversEveryTenant:
    def test_a_tenant_whose_chain_was_removed_is_broken(self, tmp_path: Path) -> None:
        """Deleting a tenant's events and head behind the triggers is reported, not skipped."""
        path = str(tmp_path / "x.db")
        with TalentOS.open(test_settings(db=path, audit_key=TEST_AUDIT_KEY)) as talentos:
            sign_up(talentos, "Acme Bank")
            sign_up(talentos, "Globex")
        connection = sqlite3.connect(path)
        try:
            connection.executescript(
                "DROP TRIGGER audit_events_no_delete;"
                "DELETE FROM audit_events WHERE tenant_id = 'acme-bank';"
                "DELETE FROM audit_heads WHERE tenant_id = 'acme-bank';"
            )
        finally:
            connection.close()
        with TalentOS.open(test_settings(db=path, audit_key=TEST_AUDIT_KEY)) as talentos:
            verdicts = {v.tenant_id: (v.ok, v.reason) for v in talentos.audit.verify()}
        assert verdicts == {"acme-bank": (False, "the chain is missing"), "globex": (True, None)}


class TestAuditKeyFile:
    def test_an_empty_key_file_is_refused_not_replaced(self, tmp_path: Path) -> None:
        """A key file without a usable key stops startup instead of using a random key."""
        (tmp_path / "x.db.audit-key").write_text("")
        with pytest.raises(InvalidSetting, match="audit key"):
            audit_key_for(Settings(db=str(tmp_path / "x.db")))

    def test_a_short_key_file_is_refused(self, tmp_path: Path) -> None:
        """Fewer than 16 bytes of key is refused, as it is from the environment."""
        (tmp_path / "k").write_text("00ff")
        with pytest.raises(ValueError, match="does not hold an audit key"):
            load_or_create_key(tmp_path / "k")

    def test_creation_leaves_no_temporary_file(self, tmp_path: Path) -> None:
        """Creating the key leaves exactly the key file, mode 0600, and reading it is stable."""
        key = load_or_create_key(tmp_path / "k")
        assert [p.name for p in tmp_path.iterdir()] == ["k"]
        assert (tmp_path / "k").stat().st_mode & 0o777 == 0o600
        assert load_or_create_key(tmp_path / "k") == key


class TestBusyDatabase:
    def test_a_write_lock_held_elsewhere_is_unavailable_not_a_crash(self, tmp_path: Path) -> None:
        """When another process holds the write lock past the busy timeout: Unavailable."""
        path = tmp_path / "x.db"
        store = SQLiteStore(path, busy_timeout_ms=50)
        holder = sqlite3.connect(path, isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")
            with pytest.raises(Unavailable), store.transaction():
                pass
            holder.execute("ROLLBACK")
            with store.transaction() as uow:  # the thread's connection is usable again
                assert uow.tenants.all_ids() == []
        finally:
            holder.close()
            store.close()


class TestSecretsStayOutOfLogs:
    def test_reprs_hide_secrets(self) -> None:
        """Settings and sign-in inputs never show keys, passwords or tokens in their repr."""
        settings = Settings(
            smtp_url="smtp://u:hunter22@h:25",
            audit_key=b"k" * 16,
            anthropic_api_key="sk-ant-secret",
        )
        shown = repr(settings) + repr(Credentials("a@b.example", "hunter22 pw"))
        assert not any(s in shown for s in ("hunter22", "sk-ant", "kkkk"))


class TestHttpHardening:
    def test_a_refused_role_gets_403_before_its_input_is_judged(self) -> None:
        """An interviewer posting a malformed vacancy is told 403, not which fields are wrong."""
        from talentos_core.roles import Role
        from talentos_core.testing import memory_talentos, teammate
        from talentos_http import create_app

        talentos = memory_talentos()
        interviewer = teammate(talentos, sign_up(talentos), Role.INTERVIEWER)
        client = falcon.testing.TestClient(create_app(talentos))
        login = client.simulate_post(
            "/api/auth/login", json={"email": interviewer.email, "password": DEFAULT_PASSWORD}
        )
        cookie = {"Cookie": f"talentos_sid={login.cookies['talentos_sid'].value}"}
        answer = client.simulate_post("/api/vacancies", json={"bogus": 1}, headers=cookie)
        assert (answer.status_code, answer.json["error"]["code"]) == (403, "forbidden")

    def test_logout_expires_the_cookie_by_date(self) -> None:
        """The logout Set-Cookie empties talentos_sid and dates it in 1970."""
        from talentos_core.testing import memory_talentos
        from talentos_http import create_app

        client = falcon.testing.TestClient(create_app(memory_talentos()))
        signup = client.simulate_post(
            "/api/auth/signup",
            json={
                "companyName": "Acme",
                "adminName": "Ann",
                "adminEmail": "ann@acme.example",
                "password": DEFAULT_PASSWORD,
            },
        )
        cookie = {"Cookie": f"talentos_sid={signup.cookies['talentos_sid'].value}"}
        header = client.simulate_post("/api/auth/logout", headers=cookie).headers["set-cookie"]
        assert header.startswith('talentos_sid=""') or header.startswith("talentos_sid=;")
        assert "1970" in header and "HttpOnly" in header

    def test_behind_a_proxy_the_last_forwarded_hop_is_the_client(self) -> None:
        """With TALENTOS_TRUST_PROXY, the audit ip is the hop the proxy appended, not the
        client-supplied first entry."""
        from talentos_core.testing import memory_talentos
        from talentos_http import create_app

        talentos = memory_talentos(settings=test_settings(trust_proxy=True))
        client = falcon.testing.TestClient(create_app(talentos))
        client.simulate_post(
            "/api/auth/signup",
            json={
                "companyName": "Acme",
                "adminName": "Ann",
                "adminEmail": "ann@acme.example",
                "password": DEFAULT_PASSWORD,
            },
            headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.7"},
        )
        admin = talentos.auth.login(
            Actor.public(), Credentials("ann@acme.example", DEFAULT_PASSWORD)
        )
        actor = talentos.auth.authenticate_session(admin.session_token)
        first = talentos.audit.list(actor).items[-1]
        assert first.ip == "203.0.113.7"
