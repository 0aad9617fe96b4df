"""Embed TalentOS in a Python program: sign up, hire-side setup, and the careers board.

Run it with ``python examples/quickstart.py`` (memory backend) or pass a path to use SQLite:
``python examples/quickstart.py ./demo.db``.
"""

from __future__ import annotations

import sys

from talentos_core import (
    Actor,
    Forbidden,
    InviteRequest,
    NewApiKey,
    NewVacancy,
    Role,
    Settings,
    Signup,
    TalentOS,
    VacancyFilter,
    VacancyPatch,
    VacancyStatus,
)


def main(db: str = ":memory:") -> dict[str, object]:
    """Walk through the core API; returns what it saw so a test can check it."""
    settings = Settings(db=db)
    with TalentOS.open(settings) as talentos:
        # Anonymous callers act as Actor.public(); signing up makes a tenant and its admin.
        signed_in = talentos.auth.signup(
            Actor.public(),
            Signup("Acme Bank", "Jane Doe", "jane@acmebank.example", "a long passphrase"),
        )
        admin = talentos.auth.authenticate_session(signed_in.session_token)
        print(f"Signed up {signed_in.tenant.name} ({signed_in.tenant.id}) as {admin.email}")

        backend = talentos.vacancies.create(
            admin,
            NewVacancy(
                title="Senior Backend Engineer",
                location="Lagos",
                level="senior",
                employment_type="full_time",
                skills=["Go", "Postgres"],
            ),
        )
        draft = talentos.vacancies.create(
            admin, NewVacancy(title="Data Analyst", status=VacancyStatus.DRAFT)
        )
        print(f"Created {backend.title} (open) and {draft.title} (draft)")

        board = talentos.careers.list()
        print("Careers board:", [(v.title, v.company.name) for v in board.items])

        # Publishing the draft makes it public; the change is audited in the same transaction.
        talentos.vacancies.update(admin, draft.id, VacancyPatch(status=VacancyStatus.OPEN))
        open_titles = [
            v.title
            for v in talentos.vacancies.list(admin, VacancyFilter(status=VacancyStatus.OPEN)).items
        ]

        # Roles are enforced in the core, whoever calls: an interviewer cannot create vacancies.
        invite = talentos.auth.invite(
            admin, InviteRequest("ivy@acmebank.example", "Ivy", Role.INTERVIEWER)
        )
        print("Invite link:", invite.invite_url.split("token=")[0] + "token=…")
        interviewer = Actor.system(admin.tenant_id, role=Role.INTERVIEWER)
        try:
            talentos.vacancies.create(interviewer, NewVacancy(title="Not allowed"))
            refused = False
        except Forbidden:
            refused = True
        print("Interviewer refused:", refused)

        minted = talentos.api_keys.mint(admin, NewApiKey(name="Workday sync"))
        by_key = talentos.auth.authenticate_api_key(minted.raw_token)
        print(f"API key {minted.key.token_prefix}… acts as {by_key.role}")

        verdicts = talentos.audit.verify()
        print("Audit chain intact:", all(v.ok for v in verdicts))
        return {
            "tenant": signed_in.tenant.id,
            "board": [v.title for v in board.items],
            "open": sorted(open_titles),
            "interviewer_refused": refused,
            "audit_ok": all(v.ok for v in verdicts),
        }


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ":memory:")
