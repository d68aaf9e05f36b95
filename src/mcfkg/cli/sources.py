"""dump and restore the whole on-disk store (module: backup); sources, ingest, retract (module: sources.commands)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from mcfkg.cli.common import app, fail, settings_or_exit
from mcfkg.tables import console

# --- dump and restore: the whole on-disk store (module: backup) ---


def _on_disk(store: Path) -> None:
    """dump and restore read and write an on-disk store: a remote one is refused with what to use instead."""
    from mcfkg.remote.client import is_remote

    if is_remote(str(store)):
        fail(f"--store {store}: a remote store is backed up and restored with its own tools (Virtuoso: "
              "backup_online and the bulk loader; Oxigraph server: oxigraph dump / oxigraph load); mcfkg dump and "
              "restore work on an on-disk store directory")


@app.command("dump")
def dump_command(
    out: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write: .nq or .trig, optionally .gz.")],
    store: Annotated[Path, typer.Option("--store", metavar="DIR", help="The on-disk store (as for `mcfkg serve`).")]
    = Path("var/store"),
) -> None:
    """Write every quad of an on-disk store (all sources' graphs, provenance, inferences, HTTP writes) to FILE."""
    from mcfkg.backup import BackupError, dump

    _on_disk(store)
    try:
        count = dump(store, out)
    except BackupError as exc:
        fail(str(exc))
    console().print(f"wrote {count} quads of {store} to {out}")


@app.command("restore")
def restore_command(
    dump_file: Annotated[Path, typer.Argument(metavar="FILE", help="A dump written by `mcfkg dump`.")],
    store: Annotated[Path, typer.Option("--store", metavar="DIR", help="The on-disk store to create.")]
    = Path("var/store"),
    replace: Annotated[bool, typer.Option("--replace", help="Replace a store that is already there.")] = False,
) -> None:
    """Restore an on-disk store from FILE, and write back the sources data/sources/ lacks."""
    from mcfkg.backup import BackupError, restore

    _on_disk(store)
    try:
        count, written = restore(settings_or_exit(), dump_file, store, replace)
    except BackupError as exc:
        fail(str(exc))
    console().print(f"restored {count} quads into {store}")
    for path in written:
        console().print(f"wrote back {path}")
    if written:
        console().print("run `mcfkg build` (or `mcfkg serve`, which builds first) to rebuild dist/ with them")


# --- sources: list, ingest, retract (module: sources.commands, which prints and returns the exit code) ---


@app.command("sources")
def sources_command() -> None:
    """List every source of the built graph: metadata, how its date was established, fact and entity counts."""
    from mcfkg.sources.commands import sources_command as run

    raise typer.Exit(run(settings_or_exit()))


@app.command("ingest")
def ingest_command(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="One source as TriG, Turtle, N-Quads or JSON-LD "
                                         "(format from the extension), in the project's conventions; or a CSV "
                                         "file with its CSVW mapping FILE-metadata.json beside it (or that mapping).")],
    same_as: Annotated[
        Optional[list[str]],
        typer.Option("--same-as", metavar="NEW=EXISTING", help="A new entity of the source is this existing one: "
                     "rewrite it to the existing IRI; repeatable."),
    ] = None,
    distinct: Annotated[
        Optional[list[str]],
        typer.Option("--distinct", metavar="NEW", help="A new entity whose name matches an existing one is a "
                     "different thing: keep its IRI; repeatable."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as one JSON object.")] = False,
) -> None:
    """Add a source as data/sources/ID.trig once it conforms with the whole graph, then rebuild dist/."""
    from mcfkg.sources.commands import ingest_command as run

    raise typer.Exit(run(settings_or_exit(), file, same_as or [], distinct or [], as_json))


@app.command("retract")
def retract_command(
    source: Annotated[str, typer.Argument(metavar="SOURCE", help="The source's IRI, mcfid:ID or ID.")],
    force: Annotated[bool, typer.Option("--force", help="Also retract a shipped source (a file in data/ itself).")]
    = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as one JSON object.")] = False,
) -> None:
    """Remove a source (its file in data/sources/) and rebuild dist/, if the graph without it still conforms."""
    from mcfkg.sources.commands import retract_command as run

    raise typer.Exit(run(settings_or_exit(), source, force, as_json))


