"""Operator tasks: ``init``, ``tenant create``, ``apikey create``."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import click

from talentos_cli.config import (
    database_error,
    database_options,
    load_settings,
    note_memory,
    open_talentos,
)
from talentos_cli.output import CommandError, emit_json, to_json
from talentos_core import (
    VERSION,
    Actor,
    NewApiKey,
    NotFound,
    Origin,
    Role,
    Settings,
    Signup,
    TalentOS,
)
from talentos_core.backends.sqlite import SQLiteStore
from talentos_core.backends.sqlite.migrations import MIGRATIONS
from talentos_core.bootstrap import audit_key_for, audit_key_path

#: Recorded on the audit events the CLI causes, so the trail says where they came from.
CLI_ORIGIN = Origin(user_agent=f"talentos-cli/{VERSION}")

json_option = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")


def operator(talentos: TalentOS, tenant_id: str) -> Actor:
    """The system actor for an operator's task in ``tenant_id``, once it is known to exist."""
    actor = Actor.system(tenant_id=tenant_id, role=Role.ADMIN).with_origin(CLI_ORIGIN)
    try:
        talentos.tenants.get(actor)
    except NotFound:
        raise CommandError(f"no tenant {tenant_id!r}") from None
    return actor


# -- init --------------------------------------------------------------------------------


@click.command()
@database_options
@json_option
def init(db: str | None, memory: bool, as_json: bool) -> None:
    """Create the database, or migrate it to this version's schema, and its audit key.

    Running it again changes nothing. `talentos serve` does the same on start.
    """
    settings = load_settings(db, memory)
    report = initialize(settings)
    if as_json:
        emit_json(report)
        return
    if settings.uses_memory:
        click.echo("Memory backend: nothing to create; it lives as long as one process.")
        return
    applied = report["applied"]
    if report["created"]:
        click.echo(f"Created database {settings.db} (schema version {report['schemaVersion']})")
    elif applied:
        versions = ", ".join(map(str, applied))
        click.echo(
            f"Migrated database {settings.db}: applied {versions} "
            f"(schema version {report['schemaVersion']})"
        )
    else:
        click.echo(
            f"Database {settings.db} is up to date (schema version {report['schemaVersion']})"
        )
    key = report["auditKey"]
    if key["source"] == "env":
        click.echo("Audit key: from TALENTOS_AUDIT_KEY")
    elif key["created"]:
        click.echo(f"Audit key: created {key['path']} (mode 0600); keep a copy off this machine")
    else:
        click.echo(f"Audit key: {key['path']}")


def initialize(settings: Settings) -> dict[str, Any]:
    """Migrate the SQLite file and make sure the audit key exists; say what was done."""
    if settings.uses_memory:
        return {
            "backend": "memory",
            "database": settings.db,
            "created": False,
            "applied": [],
            "schemaVersion": len(MIGRATIONS),
            "auditKey": {"source": "memory"},
        }
    database = Path(settings.db)
    key_path = audit_key_path(settings)
    existed, key_existed = database.exists(), key_path.exists()
    try:
        store = SQLiteStore(settings.db, migrate_now=False)
        try:
            applied = store.migrate()
            if settings.audit_key is None:
                audit_key_for(settings)
        finally:
            store.close()
    except (sqlite3.Error, OSError, RuntimeError) as error:
        raise database_error(settings, error) from None
    key: dict[str, Any] = (
        {"source": "env"}
        if settings.audit_key is not None
        else {"source": "file", "path": str(key_path), "created": not key_existed}
    )
    return {
        "backend": "sqlite",
        "database": settings.db,
        "created": not existed,
        "applied": applied,
        "schemaVersion": len(MIGRATIONS),
        "auditKey": key,
    }


# -- tenant create -----------------------------------------------------------------------


@click.group()
def tenant() -> None:
    """Manage tenants: each is one company with its own users and data."""


@tenant.command("create")
@click.argument("name")
@click.option("--admin-email", required=True, help="The first admin's email address.")
@click.option("--admin-name", required=True, help="The first admin's full name.")
@click.option(
    "--password",
    help="The admin's password (10 to 256 characters). Asked for, hidden and twice, when "
    "omitted; prefer that, as flags end up in shell history.",
)
@database_options
@json_option
def create_tenant(
    name: str,
    admin_email: str,
    admin_name: str,
    password: str | None,
    db: str | None,
    memory: bool,
    as_json: bool,
) -> None:
    """Create the tenant NAME (a company) and its first admin, as signing up does.

    The tenant's id is the slug of NAME (`Acme Bank` becomes `acme-bank`).
    """
    settings = load_settings(db, memory)
    note_memory(settings)
    if password is None:
        password = click.prompt(
            "Admin password", hide_input=True, confirmation_prompt=True, err=True
        )
    with open_talentos(settings) as talentos:
        signed_in = talentos.auth.signup(
            Actor.public(CLI_ORIGIN), Signup(name, admin_name, admin_email, password)
        )
    if as_json:
        emit_json({"tenant": to_json(signed_in.tenant), "admin": to_json(signed_in.user)})
        return
    click.echo(f"Created tenant {signed_in.tenant.id} ({signed_in.tenant.name})")
    click.echo(f"Admin: {signed_in.user.email}")


# -- apikey create -----------------------------------------------------------------------


@click.group()
def apikey() -> None:
    """Manage Bearer API keys."""


@apikey.command("create")
@click.option(
    "--tenant",
    "tenant_id",
    required=True,
    metavar="TENANT_ID",
    help="The tenant the key acts in (its id, e.g. acme-bank).",
)
@click.option("--name", required=True, help="What the key is for, e.g. 'payroll sync'.")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default=None,
    help="The role the key acts with.  [default: admin]",
)
@database_options
@json_option
def create_apikey(
    tenant_id: str, name: str, role: str | None, db: str | None, memory: bool, as_json: bool
) -> None:
    """Mint an API key and print its token, this once: only a hash of it is kept.

    The token alone goes to stdout (so `TOKEN=$(talentos apikey create …)` works); what it
    is goes to stderr. Send it as `Authorization: Bearer <token>`.
    """
    settings = load_settings(db, memory)
    note_memory(settings)
    with open_talentos(settings) as talentos:
        actor = operator(talentos, tenant_id)
        minted = talentos.api_keys.mint(actor, NewApiKey(name, Role(role) if role else None))
    if as_json:
        emit_json({"key": to_json(minted.key), "rawToken": minted.raw_token})
        return
    key = minted.key
    click.echo(minted.raw_token)
    click.echo(
        f"API key {key.id} ({key.token_prefix}…, role {key.role.value}) for tenant "
        f"{key.tenant_id}. The token is shown this once: store it now.",
        err=True,
    )
