"""``talentos audit verify | head | export``: checking and reading the audit trail (§7)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click

from talentos_cli.admin import json_option, operator
from talentos_cli.config import database_options, load_settings, open_talentos
from talentos_cli.output import CommandError, emit_json
from talentos_core.audit.chain import Verdict

#: Exit status when a chain is broken or differs from the operator's saved head.
EXIT_BROKEN = 1


@click.group()
def audit() -> None:
    """Verify, print the head of, or export the audit trail."""


@audit.command("verify")
@click.option(
    "--tenant",
    "tenant_id",
    metavar="TENANT_ID",
    help="Verify this tenant's chain only.  [default: every tenant]",
)
@click.option(
    "--expect-seq",
    type=click.IntRange(min=1),
    metavar="N",
    help="The seq of a head saved earlier (`talentos audit head`); needs --tenant.",
)
@click.option(
    "--expect-hash",
    metavar="HEX",
    help="The hash saved with --expect-seq: event N must still have it.",
)
@database_options
@json_option
@click.pass_context
def verify(
    ctx: click.Context,
    tenant_id: str | None,
    expect_seq: int | None,
    expect_hash: str | None,
    db: str | None,
    memory: bool,
    as_json: bool,
) -> None:
    """Check every chain's sequence, links and hashes, and its keyed head.

    Prints one line per tenant: `OK tenant=… events=… seq=… hash=…`, or
    `BROKEN tenant=… seq=… id=… reason=…` naming the first broken event. Exits 1 when any
    chain is broken, or has fewer events than a saved head says, or differs from it.
    """
    if (expect_seq is not None or expect_hash is not None) and tenant_id is None:
        raise click.UsageError("--expect-seq and --expect-hash need --tenant.")
    if expect_hash is not None and expect_seq is None:
        raise click.UsageError("--expect-hash needs --expect-seq.")
    settings = load_settings(db, memory)
    with open_talentos(settings) as talentos:
        if tenant_id is not None:
            operator(talentos, tenant_id)
        verdicts = talentos.audit.verify(tenant_id, expect_seq=expect_seq, expect_hash=expect_hash)
    if as_json:
        emit_json({"ok": all(v.ok for v in verdicts), "tenants": [_verdict(v) for v in verdicts]})
    elif not verdicts:
        click.echo("No audit events yet.")
    else:
        for verdict in verdicts:
            click.echo(_line(verdict))
    if not all(verdict.ok for verdict in verdicts):
        ctx.exit(EXIT_BROKEN)


def _line(verdict: Verdict) -> str:
    if verdict.ok:
        return (
            f"OK tenant={verdict.tenant_id} events={verdict.events} "
            f"seq={verdict.last_seq} hash={verdict.last_hash}"
        )
    return (
        f"BROKEN tenant={verdict.tenant_id} seq={verdict.broken_seq} "
        f"id={verdict.broken_id or '-'} reason={verdict.reason}"
    )


def _verdict(verdict: Verdict) -> dict[str, Any]:
    return {
        "tenantId": verdict.tenant_id,
        "ok": verdict.ok,
        "events": verdict.events,
        "lastSeq": verdict.last_seq,
        "lastHash": verdict.last_hash,
        "brokenSeq": verdict.broken_seq,
        "brokenId": verdict.broken_id,
        "reason": verdict.reason,
    }


@audit.command("head")
@click.option("--tenant", "tenant_id", required=True, metavar="TENANT_ID")
@database_options
@json_option
def head(tenant_id: str, db: str | None, memory: bool, as_json: bool) -> None:
    """Print the tenant's chain head, `seq=N hash=HEX`, to save somewhere else.

    Later, `talentos audit verify --tenant T --expect-seq N --expect-hash HEX` proves that
    no event up to N was changed or removed since. The head's MAC is checked first.
    """
    settings = load_settings(db, memory)
    with open_talentos(settings) as talentos:
        operator(talentos, tenant_id)
        found = talentos.audit.head(tenant_id)
    if as_json:
        emit_json({"tenantId": found.tenant_id, "seq": found.seq, "hash": found.hash})
    else:
        click.echo(f"seq={found.seq} hash={found.hash}")


@audit.command("export")
@click.option("--tenant", "tenant_id", required=True, metavar="TENANT_ID")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the CSV to this file instead of stdout.",
)
@database_options
def export(tenant_id: str, output: Path | None, db: str | None, memory: bool) -> None:
    """Stream the tenant's whole trail as CSV, oldest first.

    Columns: id, ts, tenant_id, type, actor_type, actor_id, actor_email, actor_role,
    entity_type, entity_id, summary, ip, user_agent, request_id, cost_usd, prev_hash, hash.
    """
    settings = load_settings(db, memory)
    with open_talentos(settings) as talentos:
        operator(talentos, tenant_id)
        chunks = talentos.audit.export_tenant_csv(tenant_id)
        if output is None or str(output) == "-":
            sys.stdout.flush()
            _write(chunks, sys.stdout.buffer)
        else:
            with _replacing(output) as stream:
                _write(chunks, stream)


def _write(chunks: Iterator[str], stream: IO[bytes]) -> None:
    for chunk in chunks:
        stream.write(chunk.encode("utf-8"))
    stream.flush()


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[IO[bytes]]:
    """Write beside ``path`` and move into place at the end, so no half export remains."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with open(partial, "wb") as stream:
            yield stream
        os.replace(partial, path)
    except OSError as error:
        raise CommandError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
