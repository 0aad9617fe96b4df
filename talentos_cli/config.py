"""Settings for a command: the environment (``Settings.from_env``), then its flags on top.

This is the one place the CLI reads configuration, and the one place it opens the store, so
that a bad setting or an unusable database file is always reported the same way: one line
naming it, exit status 2.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
import click

from talentos_cli.output import ConfigError
from talentos_core import Settings, TalentOS
from talentos_core.settings import InvalidSetting

F = TypeVar("F", bound=Callable[..., Any])

MEMORY = ":memory:"


def database_options(command: F) -> F:
    """Add ``--db PATH`` and ``--memory`` to a command (passed on as ``db`` and ``memory``)."""
    command = click.option(
        "--memory",
        is_flag=True,
        help="Use the in-memory backend: nothing is kept once the command ends.",
    )(command)
    command = click.option(
        "--db",
        metavar="PATH",
        help="SQLite database file, created if missing. [env TALENTOS_DB; default ./talentos.db]",
    )(command)
    return command


def load_settings(db: str | None = None, memory: bool = False, **flags: Any) -> Settings:
    """The environment's settings with the given flags applied (flags win).

    ``flags`` are :class:`Settings` field names; ``None`` values are ignored. Raises
    :class:`ConfigError` (exit 2) naming the variable when a setting is unusable.
    """
    if db and memory:
        raise click.UsageError("--db and --memory exclude each other.")
    try:
        settings = Settings.from_env()
    except InvalidSetting as error:
        raise ConfigError(str(error)) from None
    if memory:
        flags["db"] = MEMORY
    elif db:
        flags["db"] = db
    changes = {name: value for name, value in flags.items() if value is not None}
    return attrs.evolve(settings, **changes) if changes else settings


def open_talentos(settings: Settings) -> TalentOS:
    """Open (creating and migrating) the store; an unusable database is one line, exit 2."""
    try:
        return TalentOS.open(settings)
    except (sqlite3.Error, OSError, RuntimeError) as error:
        # RuntimeError: the migrations refuse a database newer than this TalentOS.
        raise database_error(settings, error) from None


def database_error(settings: Settings, error: BaseException) -> ConfigError:
    return ConfigError(f"database {settings.db}: {describe(error)}")


def describe(error: BaseException) -> str:
    """An exception as a short sentence, without the class name or errno noise."""
    if isinstance(error, OSError) and error.strerror:
        where = f": {error.filename}" if error.filename else ""
        return f"{error.strerror}{where}"
    return str(error) or type(error).__name__


def note_memory(settings: Settings) -> None:
    """Warn that an admin task on the memory backend keeps nothing."""
    if settings.uses_memory:
        click.echo("note: --memory keeps nothing once this command ends.", err=True)
