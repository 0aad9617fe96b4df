"""`talentos audit verify | head | export` on a real chain, before and after tampering."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from cli_support import Invoke, open_db, tamper

from talentos_core.services.audit import CSV_COLUMNS

DROP_UPDATE_GUARD = "DROP TRIGGER audit_events_no_update"
DROP_DELETE_GUARD = "DROP TRIGGER audit_events_no_delete"


def head_of(invoke: Invoke, db: str) -> tuple[int, str]:
    result = invoke("audit", "head", "--tenant", "acme-bank", "--db", db)
    assert result.exit_code == 0, result.output
    match = re.fullmatch(r"seq=(\d+) hash=([0-9a-f]{64})\n", result.stdout)
    assert match, result.stdout
    return int(match[1]), match[2]


class TestVerify:
    def test_an_intact_chain_is_ok(self, invoke: Invoke, populated_db: str):
        """Each tenant gets one OK line with its event count and head; exit status 0."""
        result = invoke("audit", "verify", "--db", populated_db)

        assert result.exit_code == 0, result.output
        seq, hash_ = head_of(invoke, populated_db)
        assert result.stdout == f"OK tenant=acme-bank events=3 seq={seq} hash={hash_}\n"

    def test_an_edited_event_is_named_by_its_seq(self, invoke: Invoke, populated_db: str):
        """Changing a summary behind the store's back breaks the chain at that event: exit 1."""
        tamper(
            populated_db,
            DROP_UPDATE_GUARD,
            "UPDATE audit_events SET summary = 'nothing to see' WHERE seq = 2",
        )

        result = invoke("audit", "verify", "--db", populated_db)

        assert result.exit_code == 1
        with open_db(populated_db) as talentos:
            [event] = [e for e in talentos.store.reader().audit.stream("acme-bank") if e.seq == 2]
        assert result.stdout == (
            f"BROKEN tenant=acme-bank seq=2 id={event.id} reason=hash does not match the event\n"
        )

    def test_json_reports_the_broken_event(self, invoke: Invoke, populated_db: str):
        """--json says ok false and gives the first broken seq."""
        tamper(
            populated_db,
            DROP_UPDATE_GUARD,
            "UPDATE audit_events SET actor_role = 'chro' WHERE seq = 3",
        )

        result = invoke("audit", "verify", "--db", populated_db, "--json")

        document = json.loads(result.stdout)
        assert (result.exit_code, document["ok"]) == (1, False)
        assert (document["tenants"][0]["tenantId"], document["tenants"][0]["brokenSeq"]) == (
            "acme-bank",
            3,
        )

    def test_a_cut_tail_is_detected(self, invoke: Invoke, populated_db: str):
        """Deleting the last event (and bypassing the trigger) is reported as missing events."""
        tamper(populated_db, DROP_DELETE_GUARD, "DELETE FROM audit_events WHERE seq = 3")

        result = invoke("audit", "verify", "--db", populated_db)

        assert result.exit_code == 1
        assert result.stdout.startswith("BROKEN tenant=acme-bank seq=3 id=- reason=")
        assert "missing" in result.stdout

    def test_a_deleted_head_row_does_not_hide_the_chain(self, invoke: Invoke, populated_db: str):
        """Verifying every tenant still finds a chain whose head row was removed, and fails it."""
        tamper(populated_db, "DELETE FROM audit_heads WHERE tenant_id = 'acme-bank'")

        result = invoke("audit", "verify", "--db", populated_db)

        assert result.exit_code == 1
        assert result.stdout.startswith("BROKEN tenant=acme-bank ")

    def test_a_row_that_no_longer_parses_is_broken_too(self, invoke: Invoke, populated_db: str):
        """An event edited into something unreadable is a BROKEN line for its tenant, exit 1."""
        tamper(populated_db, DROP_UPDATE_GUARD, "UPDATE audit_events SET ts = 'yesterday'")

        result = invoke("audit", "verify", "--db", populated_db)

        assert result.exit_code == 1
        assert result.stdout.startswith("BROKEN tenant=acme-bank")
        assert "unreadable row" in result.stdout

    def test_a_database_without_events_has_nothing_to_verify(self, invoke: Invoke, db_path: str):
        """On a fresh database verify says so and succeeds."""
        invoke("init", "--db", db_path)

        result = invoke("audit", "verify", "--db", db_path)

        assert (result.exit_code, result.stdout) == (0, "No audit events yet.\n")

    def test_another_audit_key_breaks_every_hash(self, invoke: Invoke, populated_db: str):
        """Verifying with a different key (TALENTOS_AUDIT_KEY) fails at the first event."""
        result = invoke(
            "audit", "verify", "--db", populated_db, env={"TALENTOS_AUDIT_KEY": "11" * 32}
        )

        assert result.exit_code == 1
        assert "seq=1 " in result.stdout

    def test_an_unknown_tenant_is_an_error(self, invoke: Invoke, populated_db: str):
        """--tenant must name an existing tenant."""
        result = invoke("audit", "verify", "--tenant", "nope", "--db", populated_db)

        assert (result.exit_code, result.stderr) == (1, "error: no tenant 'nope'\n")


class TestSavedHead:
    def test_head_prints_seq_and_hash_of_the_last_event(self, invoke: Invoke, populated_db: str):
        """`audit head` gives the last event's seq and hash."""
        seq, hash_ = head_of(invoke, populated_db)

        with open_db(populated_db) as talentos:
            last = list(talentos.store.reader().audit.stream("acme-bank"))[-1]
        assert (seq, hash_) == (last.seq, last.hash)

    def test_head_as_json(self, invoke: Invoke, populated_db: str):
        """--json gives tenantId, seq and hash."""
        result = invoke("audit", "head", "--tenant", "acme-bank", "--db", populated_db, "--json")

        assert json.loads(result.stdout) == {
            "tenantId": "acme-bank",
            "seq": 3,
            "hash": head_of(invoke, populated_db)[1],
        }

    def test_verify_against_the_saved_head_passes(self, invoke: Invoke, populated_db: str):
        """The head just printed is what verify expects, so it passes."""
        seq, hash_ = head_of(invoke, populated_db)

        result = invoke(
            "audit",
            "verify",
            "--tenant",
            "acme-bank",
            "--expect-seq",
            str(seq),
            "--expect-hash",
            hash_,
            "--db",
            populated_db,
        )

        assert result.exit_code == 0, result.output

    def test_a_saved_head_beyond_the_chain_fails(self, invoke: Invoke, populated_db: str):
        """--expect-seq larger than the chain means events were removed: exit 1."""
        seq, _ = head_of(invoke, populated_db)

        result = invoke(
            "audit",
            "verify",
            "--tenant",
            "acme-bank",
            "--expect-seq",
            str(seq + 1),
            "--db",
            populated_db,
        )

        assert result.exit_code == 1
        assert result.stdout.startswith(f"BROKEN tenant=acme-bank seq={seq + 1} ")

    def test_a_different_saved_hash_fails(self, invoke: Invoke, populated_db: str):
        """A saved hash that differs from the event's hash at that seq fails."""
        result = invoke(
            "audit",
            "verify",
            "--tenant",
            "acme-bank",
            "--expect-seq",
            "2",
            "--expect-hash",
            "0" * 64,
            "--db",
            populated_db,
        )

        assert result.exit_code == 1
        assert "seq=2 " in result.stdout and "saved head" in result.stdout

    def test_expect_hash_needs_expect_seq_and_a_tenant(self, invoke: Invoke, populated_db: str):
        """A saved head is one tenant's: the flags without --tenant are a usage error."""
        no_seq = invoke(
            "audit",
            "verify",
            "--tenant",
            "acme-bank",
            "--expect-hash",
            "0" * 64,
            "--db",
            populated_db,
        )
        no_tenant = invoke("audit", "verify", "--expect-seq", "1", "--db", populated_db)

        assert (no_seq.exit_code, no_tenant.exit_code) == (2, 2)

    def test_head_refuses_a_forged_head_row(self, invoke: Invoke, populated_db: str):
        """A head row whose MAC does not match is not printed as if it could be trusted."""
        tamper(populated_db, "UPDATE audit_heads SET seq = 2")

        result = invoke("audit", "head", "--tenant", "acme-bank", "--db", populated_db)

        assert result.exit_code == 1
        assert result.stdout == ""
        assert result.stderr.startswith("error: The stored head fails its MAC check")


class TestExport:
    def test_streams_the_chain_as_csv_to_stdout(self, invoke: Invoke, populated_db: str):
        """The CSV has the contract's columns and one row per event, oldest first."""
        result = invoke("audit", "export", "--tenant", "acme-bank", "--db", populated_db)

        assert result.exit_code == 0, result.output
        rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
        assert tuple(rows[0]) == CSV_COLUMNS
        with open_db(populated_db) as talentos:
            events = list(talentos.store.reader().audit.stream("acme-bank"))
        assert [row[0] for row in rows[1:]] == [event.id for event in events]
        assert result.stdout_bytes.endswith(b"\r\n")

    def test_writes_a_file_with_output(self, invoke: Invoke, populated_db: str, tmp_path: Path):
        """--output writes the same CSV to a file and nothing to stdout."""
        target = tmp_path / "trail.csv"

        result = invoke(
            "audit",
            "export",
            "--tenant",
            "acme-bank",
            "--output",
            str(target),
            "--db",
            populated_db,
        )

        assert (result.exit_code, result.stdout) == (0, "")
        assert (
            target.read_bytes()
            == invoke("audit", "export", "--tenant", "acme-bank", "--db", populated_db).stdout_bytes
        )
        assert sorted(path.name for path in tmp_path.iterdir() if "trail" in path.name) == [
            "trail.csv"
        ]

    def test_an_unknown_tenant_writes_no_file(
        self, invoke: Invoke, populated_db: str, tmp_path: Path
    ):
        """Exporting a tenant that does not exist fails before creating the output file."""
        result = invoke(
            "audit",
            "export",
            "--tenant",
            "nope",
            "--output",
            str(tmp_path / "trail.csv"),
            "--db",
            populated_db,
        )

        assert result.exit_code == 1
        assert not (tmp_path / "trail.csv").exists()
