"""``talentos import candidates FILE.csv``: a CSV of any size, imported in batches.

The file is streamed: rows are read, parsed and sent to the import service 500 at a time
(one transaction each, as over HTTP), so memory stays flat however long the file is. Rows that
fail are written, with their line number, code and reason, to a CSV beside the input.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import attrs
import click

from talentos_cli.admin import json_option, operator
from talentos_cli.config import database_options, load_settings, note_memory, open_talentos
from talentos_cli.output import CommandError, emit_json
from talentos_core import TalentOS, TalentOSError
from talentos_core.domain.actors import Actor
from talentos_core.domain.candidates import ImportRow
from talentos_core.services.candidates import MAX_IMPORT_ROWS

#: The header's spelling of the vacancy column, which ``--vacancy`` fills when it is absent.
VACANCY_COLUMN = "vacancyId"


@attrs.define
class Tally:
    """What an import did so far; ``total == created + updated + skipped``."""

    total: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0


@click.group("import")
def import_group() -> None:
    """Bring records in from files."""


@import_group.command("candidates")
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--tenant", "tenant_id", required=True, metavar="TENANT_ID", help="The tenant to import into."
)
@click.option(
    "--vacancy",
    "vacancy_id",
    metavar="VACANCY_ID",
    help=f"The vacancy of every row without a {VACANCY_COLUMN} cell.",
)
@click.option(
    "--errors",
    "errors_path",
    type=click.Path(dir_okay=False),
    help="Where failed rows are written. [default: FILE.errors.csv beside FILE.csv]",
)
@database_options
@json_option
def import_candidates(
    csv_file: str,
    tenant_id: str,
    vacancy_id: str | None,
    errors_path: str | None,
    db: str | None,
    memory: bool,
    as_json: bool,
) -> None:
    """Create or update candidates from FILE.csv, as POST /api/candidates/import does.

    The header names the columns as the API does: vacancyId, name, email, phone, location,
    experience (whole years), skills (separated by ; or ,), agencyId. A row whose email the
    vacancy already has updates that candidate. Each row succeeds or fails alone; failed rows
    go to the errors file, which is only written when some row failed.
    """
    settings = load_settings(db, memory)
    note_memory(settings)
    source = Path(csv_file)
    errors_file = Path(errors_path) if errors_path else source.with_suffix(".errors.csv")
    lines = _count_records(source)
    tally = Tally()
    with open_talentos(settings) as talentos, source.open(newline="", encoding="utf-8-sig") as f:
        actor = operator(talentos, tenant_id)
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        if not header:
            raise CommandError(f"{source} has no header row")
        failures = _FailureLog(errors_file, header)
        try:
            # On stderr, so that --json output on stdout stays a document.
            with click.progressbar(length=lines, label="Importing", file=sys.stderr) as bar:
                for batch in _batches(reader):
                    _import_batch(talentos, actor, batch, vacancy_id, tally, failures)
                    bar.update(len(batch))
        finally:
            failures.close()
    summary = {
        "total": tally.total,
        "created": tally.created,
        "updated": tally.updated,
        "skipped": tally.skipped,
        "errorsFile": str(errors_file) if tally.skipped else None,
    }
    if as_json:
        emit_json(summary)
        return
    click.echo(
        f"Imported {tally.total} rows into {tenant_id}: {tally.created} created, "
        f"{tally.updated} updated, {tally.skipped} skipped"
    )
    if tally.skipped:
        click.echo(f"Failed rows: {errors_file}")


def _count_records(path: Path) -> int:
    """Lines after the header: the progress bar's length (quoted newlines make it an upper
    bound, which only makes the bar finish early)."""
    with path.open("rb") as raw:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: raw.read(1 << 20), b""))
    return max(0, lines - 1)


Record = tuple[int, dict[str | None, Any]]


def _batches(reader: csv.DictReader[str]) -> Iterator[list[Record]]:
    """``(line number, record)`` pairs, :data:`MAX_IMPORT_ROWS` at a time."""
    batch: list[Record] = []
    for record in reader:
        batch.append((reader.line_num, dict(record)))
        if len(batch) == MAX_IMPORT_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch


def _import_batch(
    talentos: TalentOS,
    actor: Actor,
    batch: list[Record],
    vacancy_id: str | None,
    tally: Tally,
    failures: _FailureLog,
) -> None:
    rows: list[ImportRow] = []
    sent: list[Record] = []
    for line, record in batch:
        if vacancy_id is not None and not (record.get(VACANCY_COLUMN) or "").strip():
            record[VACANCY_COLUMN] = vacancy_id
        try:
            rows.append(ImportRow.from_csv(record))
        except TalentOSError as refused:
            failures.write(line, record, refused.code, refused.message)
            continue
        sent.append((line, record))
    tally.total += len(batch)
    tally.skipped += len(batch) - len(sent)
    if not rows:
        return
    result = talentos.candidates.import_rows(actor, rows)
    tally.created += result.created
    tally.updated += result.updated
    tally.skipped += result.skipped
    for error in result.errors:
        line, record = sent[error.row]
        failures.write(line, record, error.code, error.message)


class _FailureLog:
    """The failed rows as CSV: their line, code and reason, then the row as it was read.
    Opened at the first failure, so a clean import leaves no file behind."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self._path = path
        self._header = header
        self._file: IO[str] | None = None
        self._writer: Any = None

    def write(self, line: int, record: dict[str | None, Any], code: str, message: str) -> None:
        if self._writer is None:
            self._file = self._path.open("w", newline="", encoding="utf-8")
            self._writer = csv.writer(self._file)
            self._writer.writerow(["line", "code", "message", *self._header])
        cells = [record.get(column) or "" for column in self._header]
        self._writer.writerow([line, code, message, *cells])

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
