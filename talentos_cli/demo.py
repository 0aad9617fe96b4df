"""``talentos demo``: a demo company with a realistic pipeline, and how to sign in to it."""

from __future__ import annotations

import click

from talentos_cli.admin import json_option
from talentos_cli.config import database_options, load_settings, note_memory
from talentos_cli.output import emit_json, to_json
from talentos_core.demo import load_demo


@click.command()
@database_options
@click.option(
    "--seed",
    type=click.IntRange(1, 1_000_000),
    default=1,
    show_default=True,
    help="Which demo: the same seed gives the same company; another seed, another one.",
)
@json_option
def demo(db: str | None, memory: bool, seed: int, as_json: bool) -> None:
    """Create a demo company to explore: a team of every role, subsidiaries, agencies, 20
    vacancies in every status, a few hundred candidates over every stage and source, offers
    in every state and interviews with scorecards. Prints how to sign in.
    """
    settings = load_settings(db, memory)
    note_memory(settings)
    report = load_demo(settings, seed)
    if as_json:
        emit_json(to_json(report))
        return
    click.echo(
        f"Created {report.tenant_id}: {report.vacancies} vacancies, {report.candidates} "
        f"candidates, {report.offers} offers, {report.interviews} interviews."
    )
    click.echo("Sign in as any of these (POST /api/auth/login, or the API reference at /docs):")
    width = max(len(login.email) for login in report.logins)
    for login in report.logins:
        click.echo(f"  {login.role.value:<15} {login.email:<{width}}  {login.password}")
