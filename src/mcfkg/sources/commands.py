"""What ``mcfkg sources``, ``mcfkg ingest`` and ``mcfkg retract`` print, and their exit codes.

Exit codes: 0 done (or nothing to do); 1 refused (SHACL violations, names waiting for a decision,
a shipped source without ``--force``, a different version already ingested); 2 the input or the
settings are unusable. Whenever the exit code is not 0, nothing under ``data/`` or ``dist/`` changed.
With ``--json`` the outcome is one JSON object on stdout (``Change.as_dict``), the exit code the same.
"""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path

from rich.markup import escape

from mcfkg.build import BuildFailed
from mcfkg.config import Settings
from mcfkg.graph import LoadError
from mcfkg.sources.catalogue import COLUMNS, list_sources
from mcfkg.sources.changes import Change, ingest, retract
from mcfkg.tables import TextTable, console, print_table

EXIT_UNUSABLE = 2


def _error(message: str) -> None:
    console(stderr=True).print(f"[bold red]error:[/] {escape(message)}")


def _say(message: str) -> None:
    console().print(escape(message))


def sources_command(settings: Settings) -> int:
    """List every source of the build, one row each (tab-separated into a pipe)."""
    try:
        rows = list_sources(settings, lambda note: console(stderr=True).print(f"[dim]note:[/] {escape(note)}"))
    except (LoadError, BuildFailed) as exc:
        _error(f"{exc}\nThe build failed; run `mcfkg build` for the details.")
        return EXIT_UNUSABLE
    table = TextTable(COLUMNS, [row.cells() for row in rows], caption=f"{len(rows)} source(s)")
    print_table(table, console())
    return 0


def ingest_command(settings: Settings, path: Path, same_as: list[str], distinct: list[str], as_json: bool) -> int:
    """``mcfkg ingest``: see ``mcfkg.sources.changes.ingest``."""
    return _report(ingest(settings, path, same_as, distinct), as_json)


def retract_command(settings: Settings, given: str, force: bool, as_json: bool) -> int:
    """``mcfkg retract``: see ``mcfkg.sources.changes.retract``."""
    return _report(retract(settings, given, force), as_json)


def _report(change: Change, as_json: bool) -> int:
    """Print what a change did (one JSON object with ``as_json``) and return its exit code.

    The command is over then: the graphs it built are left to the process's exit, and frozen so that
    the interpreter's last collection does not walk them (a fifth of a second after a large ingest).
    """
    gc.freeze()
    if as_json:
        sys.stdout.write(json.dumps(change.as_dict(), ensure_ascii=False) + "\n")
        return change.exit_code
    if change.violations:
        table = TextTable(("focus node", "path", "value", "message", "severity"),
                          [(v.focus, v.path, v.value, v.message, v.severity) for v in change.violations],
                          title="SHACL results")
        print_table(table, console(stderr=True))
    if change.pending:
        table = TextTable(("new entity", "existing entity", "shared name or ID (normalised)"),
                          [(p.new, p.existing, p.shared) for p in change.pending],
                          title="entities that may already be in the graph")
        print_table(table, console(stderr=True))
    if change.exit_code:
        _error(change.message)
    else:
        _say(change.message)
    return change.exit_code


__all__ = ["ingest_command", "retract_command", "sources_command"]
