"""The candidate domain: the stage machine, search text, filters, results and import rows."""

from __future__ import annotations

import contextlib
import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentos_core.domain.candidates import (
    ACTIVE_STAGES,
    Application,
    Candidate,
    CandidateFilter,
    CandidatePatch,
    ImportResult,
    ImportRow,
    RowError,
    Source,
    Stage,
    email_key,
)
from talentos_core.domain.rules import changes, check
from talentos_core.errors import Forbidden, InvalidTransition, ValidationError

T0 = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
T1 = T0 + timedelta(hours=1)

#: The only moves the machine refuses outright (CONTRACT §6): closed candidates reopen only
#: to an active stage.
FORBIDDEN = {
    (Stage.REJECTED, Stage.WITHDRAWN),
    (Stage.REJECTED, Stage.HIRED),
    (Stage.WITHDRAWN, Stage.REJECTED),
    (Stage.WITHDRAWN, Stage.HIRED),
}
PAIRS = [(a, b) for a in Stage for b in Stage if a != b]


def candidate(stage: Stage = Stage.APPLIED, **extra: Any) -> Candidate:
    return Candidate(
        id="cand_1",
        tenant_id="acme",
        vacancy_id="vac_1",
        name="Jane Doe",
        email="Jane@Example.com",
        created_at=T0,
        updated_at=T0,
        stage_changed_at=T0,
        stage=stage,
        hired_at=T0 if stage == Stage.HIRED else None,
        **extra,
    )


class TestStageMachine:
    @pytest.mark.parametrize(("start", "goal"), [p for p in PAIRS if p[0] != Stage.HIRED])
    def test_every_move_out_of_a_stage_other_than_hired(self, start: Stage, goal: Stage) -> None:
        """Moves not forbidden succeed and stamp the times; forbidden ones raise
        InvalidTransition naming both stages."""
        before = candidate(start)
        if (start, goal) in FORBIDDEN:
            with pytest.raises(InvalidTransition) as caught:
                before.move_to(goal, T1, may_leave_hired=True)
            assert start.value in caught.value.message
            assert goal.value in caught.value.message
            return
        after = before.move_to(goal, T1, may_leave_hired=False)
        assert (after.stage, after.stage_changed_at, after.updated_at) == (goal, T1, T1)
        assert after.hired_at == (T1 if goal == Stage.HIRED else None)

    @pytest.mark.parametrize("goal", [s for s in Stage if s != Stage.HIRED])
    def test_leaving_hired_needs_the_privilege(self, goal: Stage) -> None:
        """Without admin or chro rights leaving hired is Forbidden; with them any stage is
        reachable and hiredAt is cleared."""
        hired = candidate(Stage.HIRED)
        with pytest.raises(Forbidden) as caught:
            hired.move_to(goal, T1, may_leave_hired=False)
        assert caught.value.message == "Only admin or chro may move a candidate out of hired."
        after = hired.move_to(goal, T1, may_leave_hired=True)
        assert (after.stage, after.hired_at, after.stage_changed_at) == (goal, None, T1)

    @pytest.mark.parametrize("stage", list(Stage))
    @pytest.mark.parametrize("privileged", [False, True])
    def test_the_same_stage_returns_the_identical_object(
        self, stage: Stage, privileged: bool
    ) -> None:
        """Moving to the current stage is no change: the very same object comes back."""
        before = candidate(stage)
        assert before.move_to(stage, T1, may_leave_hired=privileged) is before

    def test_a_stage_value_is_accepted_from_python(self) -> None:
        """A Python caller may pass the stage's string value."""
        assert candidate().move_to("screening", T1, may_leave_hired=False).stage is Stage.SCREENING  # type: ignore[arg-type]  # the value, on purpose

    def test_active_stages(self) -> None:
        """Active stages are applied, screening, interview and offer."""
        assert {s.value for s in ACTIVE_STAGES} == {"applied", "screening", "interview", "offer"}

    @given(st.lists(st.tuples(st.sampled_from(Stage), st.booleans()), max_size=30))
    def test_hired_at_is_set_iff_hired(self, moves: list[tuple[Stage, bool]]) -> None:
        """Any sequence of moves, allowed or not, keeps hiredAt set exactly when hired, and
        stageChangedAt moves only when the stage does."""
        current = candidate()
        for step, (goal, privileged) in enumerate(moves, start=1):
            now = T0 + timedelta(minutes=step)
            try:
                moved = current.move_to(goal, now, may_leave_hired=privileged)
            except (InvalidTransition, Forbidden):
                continue
            if moved is not current:
                assert moved.stage_changed_at == now
            else:
                assert moved.stage == goal
            current = moved
            assert (current.hired_at is not None) == (current.stage == Stage.HIRED)


class TestCandidate:
    def test_search_text_covers_name_email_and_skills(self) -> None:
        """q searches name, email and skills, case-folded, one per line."""
        text = candidate(skills=["Python", "SQL"]).search_text()
        assert text == "jane doe\njane@example.com\npython\nsql"

    def test_email_key_trims_and_lowers(self) -> None:
        """Dedup compares emails trimmed and lower-cased."""
        assert email_key("  Jane@Example.COM ") == "jane@example.com"

    def test_defaults(self) -> None:
        """A new candidate is applied, manual, with no skills and no hiredAt."""
        made = candidate()
        assert (made.stage, made.source, made.skills, made.hired_at) == (
            Stage.APPLIED,
            Source.MANUAL,
            [],
            None,
        )


class TestApplication:
    def test_a_good_application_passes(self) -> None:
        """An application with every field in bounds passes check()."""
        check(
            Application(
                vacancy_id="vac_1",
                name="Jane",
                email="jane@example.com",
                phone="+1 555",
                experience=70,
                skills=["go"],
                resume_upload_id="upl_1",
            )
        )

    def test_every_rule_is_reported(self) -> None:
        """Bad name, email, phone, experience and skills are named together."""
        with pytest.raises(ValidationError) as caught:
            check(
                Application(
                    vacancy_id="vac_1",
                    name=" ",
                    email="nope",
                    phone="1" * 41,
                    experience=71,
                    skills=["x" * 61],
                )
            )
        assert set(caught.value.fields) == {"name", "email", "phone", "experience", "skills"}


class TestCandidatePatch:
    def test_unset_by_default(self) -> None:
        """An empty patch changes nothing."""
        assert changes(CandidatePatch()) == {}

    def test_rules_apply_to_set_fields(self) -> None:
        """Long notes and an unknown stage are refused by name."""
        with pytest.raises(ValidationError) as caught:
            check(CandidatePatch(notes="x" * 10_001, stage="nowhere"))  # type: ignore[arg-type]  # a bad value, on purpose
        assert set(caught.value.fields) == {"notes", "stage"}

    def test_optional_fields_clear_with_none(self) -> None:
        """None is a change that clears an optional field."""
        assert changes(CandidatePatch(phone=None, stage=Stage.OFFER)) == {
            "phone": None,
            "stage": Stage.OFFER,
        }


class TestCandidateFilter:
    def test_job_id_and_vacancy_id_are_one_filter(self) -> None:
        """Either spelling gives the vacancy; both equal is one filter."""
        assert CandidateFilter(job_id="vac_1").vacancy_ids() == ("vac_1",)
        assert CandidateFilter(vacancy_id="vac_1").vacancy_ids() == ("vac_1",)
        both = CandidateFilter(job_id="vac_1", vacancy_id="vac_1")
        check(both)
        assert both.vacancy_ids() == ("vac_1",)
        assert CandidateFilter().vacancy_ids() == ()

    def test_different_values_both_hold(self) -> None:
        """jobId and vacancyId that disagree are two filters (matching nothing), not an
        error: every value the documented query allows is accepted."""
        bad = CandidateFilter(job_id="vac_1", vacancy_id="vac_2")
        check(bad)
        assert bad.vacancy_ids() == ("vac_1", "vac_2")

    def test_q_must_not_be_empty(self) -> None:
        """An empty q is refused."""
        with pytest.raises(ValidationError):
            check(CandidateFilter(q=""))


class TestImportResult:
    def test_a_consistent_result(self) -> None:
        """created + updated + skipped == total and skipped == len(errors) holds."""
        error = RowError(row=2, code="validation_error", message="email must be an email")
        result = ImportResult(total=4, created=2, updated=1, skipped=1, errors=[error])
        assert result.errors[0].row == 2

    @pytest.mark.parametrize(
        ("total", "created", "updated", "skipped", "errors"), [(3, 1, 1, 0, 0), (2, 1, 0, 1, 0)]
    )
    def test_an_inconsistent_result_is_a_bug(
        self, total: int, created: int, updated: int, skipped: int, errors: int
    ) -> None:
        """Counts that do not add up raise ValueError on construction."""
        rows = [RowError(row=i, code="not_found", message="x") for i in range(errors)]
        with pytest.raises(ValueError):
            ImportResult(total, created, updated, skipped, rows)


GOOD_ROW = {"vacancyId": "vac_1", "name": "Jane", "email": "jane@example.com"}

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(["vac_1", "a@b.co", "x" * 300]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=12,
)
ROW_KEYS = st.sampled_from(
    [
        "vacancyId",
        "name",
        "email",
        "phone",
        "location",
        "experience",
        "skills",
        "agencyId",
        "vacancy_id",
        "resumeUploadId",
    ]
)


class TestImportRowParse:
    def test_a_full_row(self) -> None:
        """Every known camelCase key is taken, null leaves an optional field absent."""
        row = ImportRow.parse(
            {
                **GOOD_ROW,
                "phone": "+1",
                "location": None,
                "experience": 3,
                "skills": ["go"],
                "agencyId": "agy_1",
            }
        )
        assert row == ImportRow(
            vacancy_id="vac_1",
            name="Jane",
            email="jane@example.com",
            phone="+1",
            experience=3,
            skills=["go"],
            agency_id="agy_1",
        )

    def test_a_row_that_is_not_an_object(self) -> None:
        """A list or a string is not a row."""
        for raw in ([GOOD_ROW], "row", None):
            with pytest.raises(ValidationError, match="must be a JSON object"):
                ImportRow.parse(raw)

    def test_missing_fields_are_required(self) -> None:
        """Each missing required key is named, by attribute."""
        with pytest.raises(ValidationError) as caught:
            ImportRow.parse({})
        assert caught.value.fields == {
            "vacancy_id": "is required",
            "name": "is required",
            "email": "is required",
        }
        assert caught.value.message == "vacancyId is required; name is required; email is required."

    def test_unknown_and_snake_case_keys_are_refused(self) -> None:
        """resumeUploadId is not an import field; vacancy_id gets a hint and no second error."""
        with pytest.raises(ValidationError) as caught:
            ImportRow.parse(
                {"vacancy_id": "vac_1", "name": "J", "email": "j@x.io", "resumeUploadId": "u"}
            )
        assert caught.value.fields == {
            "vacancy_id": "is not a known field (write vacancyId)",
            "resumeUploadId": "is not a known field",
        }
        assert caught.value.message.startswith("vacancy_id is not a known field")

    @pytest.mark.parametrize(
        ("key", "value", "why"),
        [
            ("experience", "7", "must be an integer"),
            ("experience", True, "must be an integer"),
            ("experience", 7.0, "must be an integer"),
            ("name", 5, "must be a string"),
            ("name", None, "must not be null"),
            ("skills", "go", "must be a list"),
            ("skills", None, "must not be null"),
            ("skills", ["go", 1], "item 1 must be a string"),
            ("phone", ["+1"], "must be a string"),
            ("agencyId", False, "must be a string"),
        ],
    )
    def test_json_types_are_strict(self, key: str, value: object, why: str) -> None:
        """Nothing is coerced: a string is not a number, true is not an integer."""
        with pytest.raises(ValidationError) as caught:
            ImportRow.parse({**GOOD_ROW, key: value})
        name = {"agencyId": "agency_id"}.get(key, key)
        assert caught.value.fields == {name: why}

    def test_rules_run_after_types(self) -> None:
        """A well-typed row still breaks the field rules, named by attribute."""
        with pytest.raises(ValidationError) as caught:
            ImportRow.parse({**GOOD_ROW, "email": "nope", "experience": 71, "vacancyId": ""})
        assert set(caught.value.fields) == {"email", "experience", "vacancy_id"}
        assert "vacancyId must not be empty" in caught.value.message

    def test_a_huge_unknown_key_is_shortened(self) -> None:
        """Error names stay short, whatever a hostile row sends."""
        with pytest.raises(ValidationError) as caught:
            ImportRow.parse({**GOOD_ROW, "k" * 100_000: 1})
        (name,) = caught.value.fields
        assert len(name) == 101
        assert len(caught.value.message) <= 1001

    @given(JSON)
    def test_any_json_value_is_a_row_or_a_validation_error(self, raw: object) -> None:
        """Arbitrary JSON never raises anything but ValidationError."""
        with contextlib.suppress(ValidationError):
            ImportRow.parse(raw)

    @given(st.dictionaries(ROW_KEYS | st.text(max_size=12), JSON, max_size=10))
    def test_any_object_is_a_row_or_a_validation_error(self, raw: dict[str, Any]) -> None:
        """Objects with known keys and arbitrary values are parsed or refused field by field."""
        try:
            row = ImportRow.parse(raw)
        except ValidationError as error:
            assert error.message.endswith(".")
        else:
            check(row)


class TestImportRowFromCsv:
    def test_cells_are_converted(self) -> None:
        """Cells are trimmed; skills split on ; or ,; experience digits become an int."""
        row = ImportRow.from_csv(
            {
                "vacancyId": " vac_1 ",
                "name": "Jane",
                "email": "jane@example.com",
                "experience": " 07 ",
                "skills": "go; sql,, rust ;",
                "phone": "",
                "agencyId": "",
            }
        )
        assert (row.vacancy_id, row.experience, row.skills) == ("vac_1", 7, ["go", "sql", "rust"])
        assert (row.phone, row.agency_id) == (None, None)

    def test_a_real_csv_file(self) -> None:
        """Records from csv.DictReader parse, short rows included."""
        text = 'vacancyId,name,email,skills\nvac_1,Jane,jane@x.io,"go,sql"\nvac_1,Joe,joe@x.io\n'
        rows = [ImportRow.from_csv(record) for record in csv.DictReader(io.StringIO(text))]
        assert [(r.name, r.skills) for r in rows] == [("Jane", ["go", "sql"]), ("Joe", [])]

    @pytest.mark.parametrize("cell", ["7.5", "-1", "seven", "٣", "1e3"])
    def test_experience_must_be_digits(self, cell: str) -> None:
        """Anything but ASCII digits is refused on experience, with the row's other problems."""
        with pytest.raises(ValidationError) as caught:
            ImportRow.from_csv({"vacancyId": "vac_1", "email": "j@x.io", "experience": cell})
        assert caught.value.fields == {
            "experience": "must be a whole number of years",
            "name": "is required",
        }
        assert caught.value.message.startswith("experience must be a whole number of years; ")

    def test_huge_experience_is_out_of_range(self) -> None:
        """Thousands of digits are reported against the range, not a crash of int()."""
        with pytest.raises(ValidationError) as caught:
            ImportRow.from_csv({**GOOD_ROW, "experience": "9" * 5000})
        assert caught.value.fields == {"experience": "must be at most 70"}

    def test_extra_cells_and_unknown_columns_are_refused(self) -> None:
        """Cells beyond the header, and unknown columns even when empty, fail the row."""
        with pytest.raises(ValidationError) as caught:
            ImportRow.from_csv({**GOOD_ROW, None: ["x"], "notes": ""})  # type: ignore[dict-item]  # DictReader's extra cells
        assert caught.value.fields == {
            "row": "has more cells than the header has columns",
            "notes": "is not a known field",
        }

    @given(
        st.dictionaries(
            ROW_KEYS | st.text(max_size=12) | st.none(),
            st.none() | st.text(max_size=40) | st.sampled_from(["12", "vac_1", "a@b.co"]),
            max_size=10,
        )
    )
    def test_any_record_is_a_row_or_a_validation_error(
        self, record: dict[str | None, str | None]
    ) -> None:
        """Arbitrary text records never raise anything but ValidationError."""
        with contextlib.suppress(ValidationError):
            ImportRow.from_csv(record)
