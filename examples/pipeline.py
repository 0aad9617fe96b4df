"""A hire, end to end, in-process: apply, move through the stages, interview, offer, accept.

Run it with ``python examples/pipeline.py`` (memory backend) or pass a path to use SQLite.
Every step is one service call with an explicit actor; the counters, the audit trail and the
webhook outbox are kept by the core.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from talentos_core import (
    Actor,
    Application,
    CandidatePatch,
    InterviewPatch,
    InterviewStatus,
    NewInterview,
    NewOffer,
    NewScorecard,
    NewVacancy,
    OfferPatch,
    OfferStatus,
    Origin,
    PageRequest,
    Settings,
    Signup,
    Stage,
    TalentOS,
)


def main(db: str = ":memory:") -> dict[str, object]:
    """Hire one applicant; returns what it saw so a test can check it."""
    with TalentOS.open(Settings(db=db)) as talentos:
        signed_in = talentos.auth.signup(
            Actor.public(),
            Signup("Acme Bank", "Jane Doe", "jane@acmebank.example", "a long passphrase"),
        )
        admin = talentos.auth.authenticate_session(signed_in.session_token)
        vacancy = talentos.vacancies.create(admin, NewVacancy("Teller", location="Accra"))

        # A visitor applies from the careers page; applying twice is answered, not duplicated.
        visitor = Actor.public(Origin(ip="203.0.113.7"))
        form = Application(vacancy.id, "Kwame Mensah", "kwame@example.com", skills=["Cash"])
        applied = talentos.candidates.apply(visitor, form)
        again = talentos.candidates.apply(visitor, form)
        candidate = applied.candidate
        print(f"Applied: {candidate.id} (second time dedup={again.dedup})")

        talentos.candidates.update(admin, candidate.id, CandidatePatch(stage=Stage.SCREENING))
        talentos.candidates.update(admin, candidate.id, CandidatePatch(stage=Stage.INTERVIEW))
        when = datetime(2026, 6, 1, 14, tzinfo=UTC)
        interview = talentos.interviews.schedule(
            admin, NewInterview(candidate.id, vacancy.id, when, interviewers=["Jane Doe"])
        )
        card = NewScorecard("Jane Doe", 88, "hire", notes="Calm under pressure.")
        talentos.interviews.update(
            admin,
            interview.id,
            InterviewPatch(add_scorecard=card, status=InterviewStatus.COMPLETED),
        )

        # Sending an offer freezes its terms; accepting it hires the candidate.
        offer = talentos.offers.create(
            admin, NewOffer(candidate.id, vacancy.id, 42_000, "USD", status=OfferStatus.SENT)
        )
        talentos.offers.update(admin, offer.id, OfferPatch(status=OfferStatus.ACCEPTED))
        hired = talentos.candidates.get(admin, candidate.id)
        counted = talentos.vacancies.get(admin, vacancy.id)
        print(f"{hired.name} is {hired.stage}; {vacancy.title}: {counted.hired} hired")
        # The webhook events waiting in the outbox, written with each change.
        assert admin.tenant_id is not None
        outbox = talentos.store.reader().outbox.list(admin.tenant_id, PageRequest(limit=200))
        verdicts = talentos.audit.verify()
        return {
            "dedup": again.dedup,
            "stage": hired.stage.value,
            "counters": (counted.applicants, counted.hired),
            "events": sorted(event.type for event in outbox.items),
            "audit_ok": all(verdict.ok for verdict in verdicts),
        }


if __name__ == "__main__":
    main(*sys.argv[1:])
