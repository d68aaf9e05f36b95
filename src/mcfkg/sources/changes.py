"""Ingest and retract: what they change under ``data/`` and ``dist/``, as a value the CLI and the server share.

Each returns a :class:`Change` instead of printing: ``mcfkg ingest`` / ``mcfkg retract`` print it
(or its JSON), and the server's ``POST /sources`` / ``DELETE /sources/{id}`` run the same commands
with ``--json`` in a child process and answer from it. Whenever the status is not ``ingested``,
``unchanged`` or ``retracted``, nothing under ``data/`` or ``dist/`` changed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from rdflib import RDF

from mcfkg.build import BuildFailed, BuildResult, build, load_shapes
from mcfkg.config import Settings
from mcfkg.dist import staleness
from mcfkg.graph import LoadError, load_dataset, source_files
from mcfkg.incremental.ingest import Applied, Refused, apply, existing_for, state_of
from mcfkg.incremental.errors import NotIncremental
from mcfkg.reasoner import Unsupported
from mcfkg.sources.document import SOURCE_ID, IncomingSource, SourceError, read_incoming, read_quads, write_atomically
from mcfkg.sources.lock import one_writer
from mcfkg.sources.reconcile import DecisionError, Existing, decide, matches, parse_iri
from mcfkg.validate import ValidationReport
from mcfkg.vocab import CANONICAL_BASE, Vocab

Status = Literal["ingested", "unchanged", "retracted", "refused", "missing", "unusable"]
EXIT_CODES: dict[Status, int] = {"ingested": 0, "unchanged": 0, "retracted": 0, "refused": 1, "missing": 1,
                                 "unusable": 2}


@dataclass(frozen=True)
class Violation:
    """One SHACL result that stopped a change: where (focus node, path, value) and what the shape says."""

    focus: str
    path: str
    value: str
    message: str
    severity: str


@dataclass(frozen=True)
class Pending:
    """A new entity of the source that may be an existing one: ``--same-as`` or ``--distinct`` decides."""

    new: str
    existing: str
    shared: str  # the name or external ID both carry


@dataclass(frozen=True)
class Change:
    """What an ingest or retract did, or why it did nothing (``message`` says what to do next)."""

    status: Status
    message: str
    source: str | None = None  # the source document's IRI
    quads: int = 0  # the source's quads (ingest)
    graphs: int = 0  # the source's graphs (ingest)
    violations: tuple[Violation, ...] = ()
    pending: tuple[Pending, ...] = ()
    build: dict[str, object] = field(default_factory=dict)  # asserted, inferred, graphs, seconds

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def ingest(settings: Settings, path: Path, same_as: list[str], distinct: list[str]) -> Change:
    """Validate one source with the whole graph, reconcile its entities, then write it and rebuild."""
    with one_writer(settings):
        return _ingest(settings, path, same_as, distinct)


def _ingest(settings: Settings, path: Path, same_as: list[str], distinct: list[str]) -> Change:
    try:
        source = read_incoming(path)
        decisions = {parse_iri(new): parse_iri(old) for new, old in (_pair(value) for value in same_as)}
    except (LoadError, SourceError, DecisionError) as exc:
        return Change("unusable", f"{exc}\nNothing was written.")
    target = settings.data_dir / "sources" / f"{source.id}.trig"
    others = [f for f in source_files(settings) if f != target]
    state = state_of(settings) if staleness(settings) is None else None
    try:
        existing = existing_for(state, source, settings.base_iri) if state else _loaded(others)
        stored_subjects = {s for s, *_ in read_quads(target)} if target.exists() else None
    except LoadError as exc:
        return Change("unusable", f"{exc}\nThe existing data does not load; fix it (see `mcfkg build`) "
                                  "before ingesting.")
    found = matches(source, existing)
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
        return Change("unusable", f"{exc}\nNothing was written.", str(source.iri))
    if pending:
        return Change(
            "refused",
            f"{len(pending)} new entit(y/ies) of {source.id} share a name or an external ID with existing ones; "
            "decide for each: --same-as NEW=EXISTING (use the existing IRI) or --distinct NEW (a different thing). "
            "Nothing was written.",
            str(source.iri), pending=tuple(Pending(str(m.new), str(m.existing), m.name) for m in pending))
    source.rewrite(rewrite)
    quads, graphs = len(source.quads), len({q[3] for q in source.quads})
    if target.exists():
        if source.same_as(target):
            return Change("unchanged", f"{source.iri} is already ingested with this content ({target}); "
                                       "nothing changed.", str(source.iri), quads, graphs)
        return Change("refused", f"a different version of {source.id} is already ingested ({target}); run "
                                 f"`mcfkg retract {source.id}` first, then ingest again. Nothing was written.",
                      str(source.iri))
    clash = sorted({str(g) for *_, g in source.quads} & {str(g) for g in existing.graphs})
    if clash:
        return Change("refused", f"graph {clash[0]} already exists in data/; a source must bring graphs of its "
                                 "own. Nothing was written.", str(source.iri))
    data = source.trig()
    commit = lambda: write_atomically(target, data)  # noqa: E731
    what = f"the graph with source {source.id}"
    through = _through_state(settings, state, source, commit, what) if state is not None else None
    outcome: Applied | BuildResult | Change
    if through is not None:
        outcome = through
    else:  # no state, or a source the state cannot take (it changes the vocabulary): a full build
        with tempfile.TemporaryDirectory(prefix="mcfkg-ingest-") as scratch:
            candidate = Path(scratch) / target.name
            candidate.write_bytes(data)
            outcome = _rebuild(settings, [*others, candidate], commit, what)
    if isinstance(outcome, Change):
        return Change(outcome.status, outcome.message, str(source.iri), violations=outcome.violations)
    if isinstance(outcome, Applied):
        return Change("ingested", f"ingested {source.iri} into {target}: {quads} quads in {graphs} graph(s); "
                                  f"{_applied_summary(settings, outcome)}", str(source.iri), quads, graphs,
                      build={"asserted": outcome.asserted, "inferred": outcome.inferred, "graphs": outcome.graphs,
                             "seconds": outcome.seconds, "incremental": True})
    return Change("ingested", f"ingested {source.iri} into {target}: {quads} quads in {graphs} "
                              f"graph(s); {_summary(settings, outcome)}", str(source.iri), quads, graphs,
                  build=_build_figures(outcome))


def retract(settings: Settings, given: str, force: bool) -> Change:
    """Remove one source's file and rebuild; a shipped (hand-curated) source only with ``force``."""
    with one_writer(settings):
        return _retract(settings, given, force)


def _retract(settings: Settings, given: str, force: bool) -> Change:
    source_id = source_id_of(given, settings)
    if source_id is None:
        return Change("unusable", f"{given!r} is not a source IRI or id; `mcfkg sources` lists the sources.")
    iri = str(Vocab(CANONICAL_BASE).ID[source_id])
    target = settings.data_dir / "sources" / f"{source_id}.trig"
    if not target.exists():
        shipped = _shipped_file(settings, source_id)
        if shipped is None:
            return Change("missing", f"no ingested source {source_id} (no {target}); `mcfkg sources` lists the "
                                     "sources.", iri)
        if not force:
            return Change("refused", f"{source_id} is part of the shipped data ({shipped}), not an ingested source; "
                                     "retracting it removes that file. Pass --force if that is what you want. "
                                     "Nothing was removed.", iri)
        target = shipped
    others = [f for f in source_files(settings) if f != target]
    outcome = _rebuild(settings, others, target.unlink, f"the graph without source {source_id}")
    if isinstance(outcome, Change):
        return Change(outcome.status, outcome.message, iri, violations=outcome.violations)
    return Change("retracted", f"retracted {source_id}: removed {target}; {_summary(settings, outcome)}", iri,
                  build=_build_figures(outcome))


def _loaded(files: list[Path]) -> Existing:
    return Existing.of(list(load_dataset(files, CANONICAL_BASE).quads((None, None, None, None))))  # type: ignore[arg-type]


def _through_state(settings: Settings, state: object, source: IncomingSource, commit: Callable[[], None],
                   what: str) -> Applied | Change | None:
    """Add the source through the build's state; None when the state cannot take it (build in full)."""
    try:
        return apply(settings, state, source, load_shapes(settings), commit)  # type: ignore[arg-type]
    except Refused as exc:
        return _refusal(exc.report, what)
    except (NotIncremental, Unsupported):
        return None
    except LoadError as exc:
        return Change("unusable", f"{exc}\nNothing was written or removed.")


def _applied_summary(settings: Settings, applied: Applied) -> str:
    return (f"reasoned and validated only what it changes, through {settings.dist_dir}/state "
            f"({applied.asserted} asserted, {applied.inferred:+d} inferred triples) in "
            f"{sum(applied.seconds.values()):.1f} s; N-Quads dump and VoID updated, other dumps removed until "
            "the next `mcfkg build`")


def _rebuild(settings: Settings, files: list[Path], commit: Callable[[], None], what: str) -> BuildResult | Change:
    """Build from ``files``, running ``commit`` once they conform; a refusal (nothing written) when they do not."""
    try:
        return build(settings, files=files, commit=commit)
    except BuildFailed as exc:
        return _refusal(exc.report, what)
    except LoadError as exc:
        return Change("unusable", f"{exc}\nNothing was written or removed.")


def _refusal(report: ValidationReport, what: str) -> Change:
    violations = _violations(report)
    count = sum(v.severity == "Violation" for v in violations)
    return Change("refused", f"{what} does not conform to the shapes ({count} violation(s): focus node, path "
                             "and message listed); fix them and run the command again. Nothing was written "
                             "or removed.", violations=violations)


def _violations(report: ValidationReport) -> tuple[Violation, ...]:
    return tuple(Violation(r.focus_label or str(r.focus), r.path, r.value or "", r.message, r.severity)
                 for r in report.results)


def _build_figures(result: BuildResult) -> dict[str, object]:
    return {"asserted": result.asserted, "inferred": result.inferred, "graphs": len(result.graphs),
            "seconds": {stage: round(s, 2) for stage, s in result.seconds.items()}}


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


def source_id_of(given: str, settings: Settings) -> str | None:
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
