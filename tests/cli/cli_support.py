"""Helpers shared by the CLI tests (imported by them and by this folder's conftest)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable

from click.testing import Result

from talentos_core import Settings, TalentOS
from talentos_core.settings import ARGON2_FLOOR, Argon2Parameters

#: `invoke("init", "--db", path)`: the in-process runner fixture of this folder.
Invoke = Callable[..., Result]

#: The cheapest argon2id parameters the settings accept (OWASP's floor): fast enough here.
FLOOR = ",".join(map(str, ARGON2_FLOOR))


def clean_environment(**values: str) -> dict[str, str | None]:
    """Unset every TalentOS variable of the outer environment; set ``values`` instead."""
    env: dict[str, str | None] = {
        name: None for name in os.environ if name.startswith(("TALENTOS_", "ANTHROPIC_"))
    }
    env.update({"TALENTOS_ARGON2": FLOOR, **values})
    return env


def open_db(path: str) -> TalentOS:
    """The services on ``path`` as the CLI opens them (same key file beside the database)."""
    return TalentOS.open(Settings(db=path, argon2=Argon2Parameters(*ARGON2_FLOOR)))


def tamper(path: str, *statements: str) -> None:
    """Run SQL on the file directly, as someone with write access to it (but not the key)."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
