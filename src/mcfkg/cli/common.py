"""What every command shares: the typer apps, exit codes, and errors printed as one line."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.markup import escape

from mcfkg.cli_help import App
from mcfkg.config import Settings, SettingsError
from mcfkg.tables import console

app = App(
    no_args_is_help=True,
    help="mcfkg: the military-civil fusion knowledge graph. "
    "Settings not given as flags come from MCFKG_* environment variables (e.g. MCFKG_BASE_IRI, MCFKG_DIST_DIR).",
)
link_app = App(no_args_is_help=True, help="Find, check and accept links to Wikidata, GeoNames and DBpedia.")
app.add_typer(link_app, name="link")

EXIT_UNUSABLE = 2
EXIT_TIMEOUT = 124  # as timeout(1): the time limit stopped the command
ENDPOINT_HELP = f"Wikidata-shaped SPARQL endpoint (default: MCFKG_LINK_ENDPOINT, else {Settings.link_endpoint})."


def fail(message: str, code: int = EXIT_UNUSABLE) -> NoReturn:
    """Print an error (no traceback, no rich markup in user data) and exit with ``code``."""
    console(stderr=True).print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(code)


def settings_or_exit(**overrides: object) -> Settings:
    """Settings from the environment and the command's flags; a wrong ``MCFKG_*`` value ends the command."""
    try:
        return Settings.from_env(**overrides)
    except SettingsError as exc:
        fail(str(exc))


