"""What ``mcfkg sources``, ``mcfkg ingest`` and ``mcfkg retract`` do, with their output and exit codes.

Exit codes: 0 done (or nothing to do); 1 refused (SHACL violations, names waiting for a decision,
a shipped source without ``--force``, a different version already ingested); 2 the input or the
settings are unusable. Whenever the exit code is not 0, nothing under ``data/`` or ``dist/`` changed.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import RDF
from rich.markup import escape

from mcfkg.build import BuildFailed, BuildResult, build
from mcfkg.config import Settings
from mcfkg.graph import LoadError, load_dataset, source_files
from mcfkg.sources.catalogue import COLUMNS, list_sources
from mcfkg.sources.document import SOURCE_ID, SourceError, read_incoming, read_quads, write_atomically
from mcfkg.sources.reconcile import DecisionError, decide, matches, parse_iri
from mcfkg.tables import TextTable, console, print_table
from mcfkg.vocab import CANONICAL_BASE, Vocab

EXIT_REFUSED, EXIT_UNUSABLE = 1, 2


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


@contextmanager
def one_writer(settings: Settings) -> Iterator[None]:
    """Ingests and retracts take turns (an exclusive lock on data/sources/), so each one is checked
    against the graph as the previous one left it, never beside it."""
    folder = settings.data_dir / "sources"
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def ingest_command(settings: Settings, path: Path, same_as: list[str], distinct: list[str]) -> int:
    """Validate one source with the whole graph, reconcile its entities, then write it and rebuild."""
    with one_writer(settings):
        return _ingest(settings, path, same_as, distinct)


def _ingest(settings: Settings, path: Path, same_as: list[str], distinct: list[str]) -> int:
    try:
        source = read_incoming(path)
        decisions = {parse_iri(new): parse_iri(old) for new, old in (_pair(value) for value in same_as)}
    except (LoadError, SourceError, DecisionError) as exc:
        _error(f"{exc}\nNothing was written.")
        return EXIT_UNUSABLE
    target = settings.data_dir / "sources" / f"{source.id}.trig"
    others = [f for f in source_files(settings) if f != target]
    try:
        existing = {q for q in load_dataset(others, CANONICAL_BASE).quads((None, None, None, None))}
        stored_subjects = {s for s, *_ in read_quads(target)} if target.exists() else None
    except LoadError as exc:
        _error(f"{exc}\nThe existing data does not load; fix it (see `mcfkg build`) before ingesting.")
        return EXIT_UNUSABLE
    found = matches(source, existing)  # type: ignore[arg-type]
    kept_apart = {parse_iri(value) for value in distinct}
    if stored_subjects is not None:  # decisions of the earlier ingest are recorded in its file
        for match in found:
            if match.new not in decisions and match.new not in kept_apart:
                if match.new in stored_subjects:
                    kept_apart.add(match.new)
                else:
                    decisions.setdefault(match.new, match.existing)
    try:
        rewrite, pending = decide(found, decisions, kept_apart)
    except DecisionError as exc:
        _error(f"{exc}\nNothing was written.")
        return EXIT_UNUSABLE
    if pending:
        table = TextTable(("new entity", "existing entity", "shared name (normalised)"),
                          [(str(m.new), str(m.existing), m.name) for m in pending],
                          title="entities that may already be in the graph")
        print_table(table, console(stderr=True))
        _error(f"{len(pending)} new entit(y/ies) of {source.id} share a name with existing ones; decide for each: "
               "--same-as NEW=EXISTING (use the existing IRI) or --distinct NEW (a different thing). Nothing was written.")
        return EXIT_REFUSED
    source.rewrite(rewrite)
    if target.exists():
        if source.same_as(target):
            _say(f"{source.iri} is already ingested with this content ({target}); nothing changed.")
            return 0
        _error(f"a different version of {source.id} is already ingested ({target}); "
               f"run `mcfkg retract {source.id}` first, then ingest again. Nothing was written.")
        return EXIT_REFUSED
    clash = sorted({str(g) for *_, g in source.quads} & {str(q[3]) for q in existing})
    if clash:
        _error(f"graph {clash[0]} already exists in data/; a source must bring graphs of its own. Nothing was written.")
        return EXIT_REFUSED
    data = source.trig()
    with tempfile.TemporaryDirectory(prefix="mcfkg-ingest-") as scratch:
        candidate = Path(scratch) / target.name
        candidate.write_bytes(data)
        result = _rebuild(settings, [*others, candidate], lambda: write_atomically(target, data),
                          f"the graph with source {source.id}")
    if result is None:
        return EXIT_REFUSED
    _say(f"ingested {source.iri} into {target}: {len(source.quads)} quads in "
         f"{len({q[3] for q in source.quads})} graph(s); {_summary(settings, result)}")
    return 0


def retract_command(settings: Settings, given: str, force: bool) -> int:
    """Remove one source's file and rebuild; a shipped (hand-curated) source only with ``force``."""
    with one_writer(settings):
        return _retract(settings, given, force)


def _retract(settings: Settings, given: str, force: bool) -> int:
    source_id = _source_id(given, settings)
    if source_id is None:
        _error(f"{given!r} is not a source IRI or id; `mcfkg sources` lists the sources.")
        return EXIT_UNUSABLE
    target = settings.data_dir / "sources" / f"{source_id}.trig"
    if not target.exists():
        shipped = _shipped_file(settings, source_id)
        if shipped is None:
            _error(f"no ingested source {source_id} (no {target}); `mcfkg sources` lists the sources.")
            return EXIT_REFUSED
        if not force:
            _error(f"{source_id} is part of the shipped data ({shipped}), not an ingested source; retracting it "
                   "removes that file. Pass --force if that is what you want. Nothing was removed.")
            return EXIT_REFUSED
        target = shipped
    others = [f for f in source_files(settings) if f != target]
    result = _rebuild(settings, others, target.unlink, f"the graph without source {source_id}")
    if result is None:
        return EXIT_REFUSED
    _say(f"retracted {source_id}: removed {target}; {_summary(settings, result)}")
    return 0


def _rebuild(settings: Settings, files: list[Path], commit: Callable[[], None], what: str) -> BuildResult | None:
    """Build from ``files``, running ``commit`` once they conform; None (reported) when they do not."""
    try:
        return build(settings, files=files, commit=commit)
    except BuildFailed as exc:
        print_table(exc.report.as_table(), console(stderr=True))
        violations = sum(r.severity == "Violation" for r in exc.report.results)
        _error(f"{what} does not conform to the shapes ({violations} violation(s): focus node, path and message "
               "above); fix them and run the command again. Nothing was written or removed.")
    except LoadError as exc:
        _error(f"{exc}\nNothing was written or removed.")
    return None


def _summary(settings: Settings, result: BuildResult) -> str:
    seconds = sum(result.seconds.values())
    return (f"rebuilt {settings.dist_dir} ({result.asserted} asserted, {result.inferred} inferred triples, "
            f"{len(result.graphs)} graphs) in {seconds:.1f} s")


def _pair(value: str) -> tuple[str, str]:
    """``NEW=EXISTING`` of ``--same-as``."""
    new, sep, old = value.partition("=")
    if not sep or not new.strip() or not old.strip():
        raise DecisionError(f"--same-as {value!r}: write it as NEW=EXISTING (IRIs, mcfid:names or bare names)")
    return new, old


def _source_id(given: str, settings: Settings) -> str | None:
    """The id of a source given as its IRI (canonical or deployed base), ``mcfid:id`` or the id."""
    value = given.strip()
    for prefix in (str(Vocab(CANONICAL_BASE).ID), str(Vocab(settings.base_iri).ID), "mcfid:"):
        value = value.removeprefix(prefix)
    return value if SOURCE_ID.match(value) else None


def _shipped_file(settings: Settings, source_id: str) -> Path | None:
    """The file of ``data/`` (not ``data/sources/``) that describes the source document ``source_id``."""
    vocab = Vocab(CANONICAL_BASE)
    document = (vocab.ID[source_id], RDF.type, vocab.MCF.SourceDocument)
    for path in sorted(settings.data_dir.glob("*.trig")):
        if any(q[:3] == document for q in read_quads(path)):
            return path
    return None


__all__ = ["ingest_command", "retract_command", "sources_command"]
