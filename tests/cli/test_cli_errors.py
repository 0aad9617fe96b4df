"""What every command shares: --help, --version, --db/--memory, and one-line errors."""

from __future__ import annotations

import pytest
from cli_support import Invoke

from talentos_core import VERSION

#: Every command, with the arguments it needs to get as far as reading settings.
COMMANDS = {
    "init": ["init"],
    "serve": ["serve", "--port", "0"],
    "tenant create": [
        "tenant",
        "create",
        "Acme",
        "--admin-email",
        "a@acme.example",
        "--admin-name",
        "A",
        "--password",
        "a long passphrase",
    ],
    "apikey create": ["apikey", "create", "--tenant", "acme", "--name", "ci"],
    "audit verify": ["audit", "verify"],
    "audit head": ["audit", "head", "--tenant", "acme"],
    "audit export": ["audit", "export", "--tenant", "acme"],
}
HELP_PATHS = [
    [],
    ["tenant"],
    ["apikey"],
    ["audit"],
    ["openapi"],
    *([*words.split()] for words in COMMANDS),
]


@pytest.mark.parametrize("path", HELP_PATHS, ids=lambda path: " ".join(path) or "talentos")
def test_every_command_has_help(invoke: Invoke, path: list[str]):
    """`--help` works on the group and on every command, and shows its usage."""
    result = invoke(*path, "--help")

    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: talentos {' '.join(path)}".rstrip())


def test_version_is_the_installed_one(invoke: Invoke):
    """`--version` prints the core's version."""
    result = invoke("--version")

    assert (result.exit_code, result.stdout) == (0, f"talentos, version {VERSION}\n")


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_an_unparseable_setting_is_one_line_and_status_2(invoke: Invoke, command: list[str]):
    """TALENTOS_ARGON2=abc stops any command with one line naming the variable."""
    result = invoke(*command, env={"TALENTOS_ARGON2": "abc"})

    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: TALENTOS_ARGON2: ")
    assert "Traceback" not in result.output


def test_parameters_below_the_floor_are_refused(invoke: Invoke, db_path: str):
    """Cheap argon2 parameters are a bad setting, not a silent downgrade."""
    result = invoke("init", "--db", db_path, env={"TALENTOS_ARGON2": "1,8,1"})

    assert result.exit_code == 2
    assert result.stderr == "error: TALENTOS_ARGON2: below OWASP's minimum of 2,19456,1\n"


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_an_unusable_database_path_is_one_line(invoke: Invoke, command: list[str]):
    """A database in a directory that does not exist stops any command with one line."""
    result = invoke(*command, "--db", "/nonexistent-dir/x.db")

    assert result.exit_code == 2
    assert result.stderr == "error: database /nonexistent-dir/x.db: unable to open database file\n"


def test_a_database_that_is_not_sqlite_is_one_line(invoke: Invoke, tmp_path):
    """A file that is not a database is reported as such, not as a traceback."""
    (tmp_path / "notes.db").write_text("shopping list\n" * 100)

    result = invoke("audit", "verify", "--db", str(tmp_path / "notes.db"))

    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: database {tmp_path / 'notes.db'}: ")
    assert result.stderr.count("\n") == 1


def test_db_and_memory_exclude_each_other(invoke: Invoke, db_path: str):
    """Giving both --db and --memory is a usage error."""
    result = invoke("init", "--db", db_path, "--memory")

    assert result.exit_code == 2
    assert "--db and --memory exclude each other" in result.stderr


def test_memory_runs_without_touching_disk(invoke: Invoke, tmp_path):
    """--memory uses the memory backend: no database or key file appears."""
    result = invoke("audit", "verify", "--memory")

    assert (result.exit_code, result.stdout) == (0, "No audit events yet.\n")
    assert list(tmp_path.iterdir()) == []


def test_a_bad_public_url_names_its_variable(invoke: Invoke, db_path: str):
    """Other settings are checked the same way, e.g. TALENTOS_PUBLIC_URL."""
    result = invoke("init", "--db", db_path, env={"TALENTOS_PUBLIC_URL": "ftp://x"})

    assert (result.exit_code, result.stderr.count("\n")) == (2, 1)
    assert result.stderr.startswith("error: TALENTOS_PUBLIC_URL: ")
