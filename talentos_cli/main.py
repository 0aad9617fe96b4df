"""The ``talentos`` group: version, the command families, and one error policy for all.

Every deliberate error of TalentOS (:class:`TalentOSError`) and every unusable setting
(:class:`InvalidSetting`) ends a command with one line ``error: <message>`` on stderr and a
non-zero exit status (2 for settings, 1 otherwise), never a traceback.
"""

from __future__ import annotations

from typing import Any

import click

from talentos_cli import admin, audit, demo, importing, openapi, serve
from talentos_cli.output import CommandError, ConfigError
from talentos_core import VERSION, TalentOSError, ValidationError
from talentos_core.naming import camel
from talentos_core.settings import InvalidSetting


class TalentOSGroup(click.Group):
    """A click group that turns TalentOS's own errors into one-line messages."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InvalidSetting as error:
            raise ConfigError(str(error)) from None
        except ValidationError as error:
            raise CommandError(validation_message(error)) from None
        except TalentOSError as error:
            raise CommandError(error.message) from None


def validation_message(error: ValidationError) -> str:
    """``Some fields are invalid: adminEmail: must be an email address; …``."""
    problems = "; ".join(f"{camel(name)}: {why}" for name, why in sorted(error.fields.items()))
    return f"{error.message.rstrip('.')}: {problems}" if problems else error.message


@click.group(
    "talentos", cls=TalentOSGroup, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(VERSION, "--version", "-V", prog_name="talentos")
def cli() -> None:
    """TalentOS: an applicant-tracking API you can run yourself.

    Configuration comes from TALENTOS_* environment variables (see docs/configuration.md);
    flags win. Start with `talentos serve`, or `talentos init` to only create the database.
    """


cli.add_command(serve.serve)
cli.add_command(admin.init)
cli.add_command(admin.tenant)
cli.add_command(admin.apikey)
cli.add_command(audit.audit)
cli.add_command(importing.import_group)
cli.add_command(demo.demo)
cli.add_command(openapi.openapi)
