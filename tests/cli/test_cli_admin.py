"""`talentos init`, `tenant create` and `apikey create`, run in-process on a SQLite file."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from cli_support import Invoke, open_db

from talentos_core import Actor, ActorType, Credentials, Role

PASSWORD = "correct horse battery staple"


def create_tenant(invoke: Invoke, db: str, *extra: str) -> None:
    result = invoke(
        "tenant",
        "create",
        "Acme Bank",
        "--admin-email",
        "jane@acme.example",
        "--admin-name",
        "Jane Doe",
        "--password",
        PASSWORD,
        "--db",
        db,
        *extra,
    )
    assert result.exit_code == 0, result.output


class TestInit:
    def test_creates_the_database_and_a_private_audit_key(self, invoke: Invoke, db_path: str):
        """A first init creates the SQLite file and its audit key file, readable by its owner."""
        result = invoke("init", "--db", db_path)

        assert result.exit_code == 0, result.output
        assert f"Created database {db_path}" in result.stdout
        key_file = Path(db_path + ".audit-key")
        assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
        assert "created" in result.stdout.splitlines()[1]

    def test_running_it_twice_changes_nothing(self, invoke: Invoke, db_path: str):
        """A second init applies no migration and keeps the very same audit key."""
        invoke("init", "--db", db_path)
        key_before = Path(db_path + ".audit-key").read_text()

        result = invoke("init", "--db", db_path, "--json")

        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert (report["created"], report["applied"]) == (False, [])
        assert report["auditKey"] == {
            "source": "file",
            "path": db_path + ".audit-key",
            "created": False,
        }
        assert Path(db_path + ".audit-key").read_text() == key_before

    def test_json_lists_the_migrations_applied(self, invoke: Invoke, db_path: str):
        """On a new file, --json names every migration applied and the schema version."""
        report = json.loads(invoke("init", "--db", db_path, "--json").stdout)

        assert report["created"] is True
        assert report["applied"] == list(range(1, report["schemaVersion"] + 1))

    def test_an_audit_key_from_the_environment_needs_no_key_file(
        self, invoke: Invoke, db_path: str
    ):
        """With TALENTOS_AUDIT_KEY set, init says so and writes no key file."""
        result = invoke("init", "--db", db_path, "--json", env={"TALENTOS_AUDIT_KEY": "ab" * 32})

        assert json.loads(result.stdout)["auditKey"] == {"source": "env"}
        assert not Path(db_path + ".audit-key").exists()

    def test_the_database_defaults_to_talentos_db_in_the_current_directory(
        self, invoke: Invoke, tmp_path: Path
    ):
        """Without --db or TALENTOS_DB, init creates ./talentos.db."""
        result = invoke("init")

        assert result.exit_code == 0, result.output
        assert (tmp_path / "talentos.db").exists()

    def test_talentos_db_names_the_database(self, invoke: Invoke, tmp_path: Path):
        """TALENTOS_DB chooses the file when --db is not given."""
        result = invoke("init", env={"TALENTOS_DB": str(tmp_path / "from-env.db")})

        assert result.exit_code == 0, result.output
        assert (tmp_path / "from-env.db").exists()

    def test_the_db_flag_wins_over_the_environment(self, invoke: Invoke, tmp_path: Path):
        """--db is used even when TALENTOS_DB names another file."""
        invoke(
            "init", "--db", str(tmp_path / "flag.db"), env={"TALENTOS_DB": str(tmp_path / "env.db")}
        )

        assert ((tmp_path / "flag.db").exists(), (tmp_path / "env.db").exists()) == (True, False)


class TestTenantCreate:
    def test_prints_the_tenant_id_and_admin_email(self, invoke: Invoke, db_path: str):
        """The new tenant's id is the slug of its name; the admin's email is repeated."""
        result = invoke(
            "tenant",
            "create",
            "Acme Bank",
            "--admin-email",
            "jane@acme.example",
            "--admin-name",
            "Jane Doe",
            "--password",
            PASSWORD,
            "--db",
            db_path,
        )

        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines() == [
            "Created tenant acme-bank (Acme Bank)",
            "Admin: jane@acme.example",
        ]

    def test_the_admin_can_sign_in_with_the_password(self, invoke: Invoke, db_path: str):
        """The admin user exists with the admin role and the password given."""
        create_tenant(invoke, db_path)

        with open_db(db_path) as talentos:
            signed_in = talentos.auth.login(
                Actor.public(), Credentials("jane@acme.example", PASSWORD)
            )
        assert (signed_in.tenant.id, signed_in.user.role) == ("acme-bank", Role.ADMIN)

    def test_json_shows_tenant_and_admin_without_secrets(self, invoke: Invoke, db_path: str):
        """--json gives the tenant and admin objects, and no password hash."""
        result = invoke(
            "tenant",
            "create",
            "Acme Bank",
            "--admin-email",
            "jane@acme.example",
            "--admin-name",
            "Jane Doe",
            "--password",
            PASSWORD,
            "--db",
            db_path,
            "--json",
        )

        document = json.loads(result.stdout)
        assert (document["tenant"]["id"], document["admin"]["email"]) == (
            "acme-bank",
            "jane@acme.example",
        )
        assert "passwordHash" not in document["admin"]
        assert PASSWORD not in result.stdout

    def test_asks_for_the_password_twice_without_echoing_it(self, invoke: Invoke, db_path: str):
        """Without --password the password is prompted for, hidden, and confirmed."""
        result = invoke(
            "tenant",
            "create",
            "Acme Bank",
            "--admin-email",
            "jane@acme.example",
            "--admin-name",
            "Jane Doe",
            "--db",
            db_path,
            input=f"{PASSWORD}\n{PASSWORD}\n",
        )

        assert result.exit_code == 0, result.output
        assert "Admin password" in result.stderr
        assert PASSWORD not in result.output
        assert "Created tenant acme-bank" in result.stdout

    def test_a_short_password_is_one_line_naming_the_field(self, invoke: Invoke, db_path: str):
        """A rule the core enforces comes back as `error: …password…` and exit status 1."""
        result = invoke(
            "tenant",
            "create",
            "Acme Bank",
            "--admin-email",
            "jane@acme.example",
            "--admin-name",
            "Jane Doe",
            "--password",
            "short",
            "--db",
            db_path,
        )

        assert result.exit_code == 1
        assert len(result.stderr.splitlines()) == 1
        assert result.stderr.startswith("error: ") and "password" in result.stderr

    def test_a_taken_email_is_refused(self, invoke: Invoke, db_path: str):
        """Creating a second tenant with the same admin email fails with one line."""
        create_tenant(invoke, db_path)

        result = invoke(
            "tenant",
            "create",
            "Other Co",
            "--admin-email",
            "JANE@acme.example",
            "--admin-name",
            "Jane",
            "--password",
            PASSWORD,
            "--db",
            db_path,
        )

        assert result.exit_code == 1
        assert result.stderr == "error: That email address is already registered.\n"


class TestApiKeyCreate:
    def test_the_printed_token_authenticates_as_the_tenant(self, invoke: Invoke, db_path: str):
        """The only stdout line is a token that the core accepts as an admin key of the tenant."""
        create_tenant(invoke, db_path)

        result = invoke(
            "apikey", "create", "--tenant", "acme-bank", "--name", "ci", "--db", db_path
        )

        assert result.exit_code == 0, result.output
        [token] = result.stdout.splitlines()
        with open_db(db_path) as talentos:
            actor = talentos.auth.authenticate_api_key(token)
        assert (actor.type, actor.tenant_id, actor.role) == (
            ActorType.API_KEY,
            "acme-bank",
            Role.ADMIN,
        )
        assert "shown this once" in result.stderr

    def test_role_flag_sets_the_key_role(self, invoke: Invoke, db_path: str):
        """--role recruiter mints a recruiter key; --json gives the key and the raw token."""
        create_tenant(invoke, db_path)

        result = invoke(
            "apikey",
            "create",
            "--tenant",
            "acme-bank",
            "--name",
            "ats sync",
            "--role",
            "recruiter",
            "--db",
            db_path,
            "--json",
        )

        document = json.loads(result.stdout)
        assert set(document) == {"key", "rawToken"}
        assert (document["key"]["role"], document["key"]["name"]) == ("recruiter", "ats sync")
        assert document["rawToken"].startswith(document["key"]["tokenPrefix"])
        assert "keyHash" not in document["key"]
        with open_db(db_path) as talentos:
            assert talentos.auth.authenticate_api_key(document["rawToken"]).role == Role.RECRUITER

    def test_an_unknown_tenant_is_one_line(self, invoke: Invoke, db_path: str):
        """Naming a tenant that does not exist fails cleanly and mints nothing."""
        create_tenant(invoke, db_path)

        result = invoke("apikey", "create", "--tenant", "nope", "--name", "ci", "--db", db_path)

        assert (result.exit_code, result.stderr) == (1, "error: no tenant 'nope'\n")
        assert result.stdout == ""

    def test_an_unknown_role_is_a_usage_error(self, invoke: Invoke, db_path: str):
        """--role must be one of the six roles."""
        result = invoke(
            "apikey",
            "create",
            "--tenant",
            "acme-bank",
            "--name",
            "ci",
            "--role",
            "superuser",
            "--db",
            db_path,
        )

        assert result.exit_code == 2
        assert "superuser" in result.stderr
