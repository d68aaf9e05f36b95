"""The pipeline ``mcfkg build`` runs: load → reason → validate → export.

Nothing is written unless every file parses and the reasoned data conforms to the shapes.
``mcfkg serve`` and ``mcfkg query`` read the build, and run this first when it is stale
(:func:`mcfkg.dist.ensure_build`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from mcfkg.config import Settings
from mcfkg.export import FORMATS, dump_file, load_context, write_dist
from mcfkg.graph import load_dataset, load_graph, source_files
from mcfkg.incremental.state import remove_state, wanted, write_build_state
from mcfkg.per_source import per_source_results
from mcfkg.reason import infer, validation_graph
from mcfkg.validate import ValidationReport, validate
from mcfkg.vocab import Vocab


class BuildFailed(Exception):
    """The data does not conform to the shapes; ``report`` says where and why."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        violations = sum(r.severity == "Violation" for r in report.results)
        super().__init__(f"SHACL validation failed with {violations} violation(s); nothing was written")


@dataclass
class BuildResult:
    """What a build did: triple counts, the validation report, the files written and time per stage."""

    asserted: int
    inferred: int
    graphs: dict[str, int]
    report: ValidationReport
    files: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


@contextmanager
def _timed(seconds: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    seconds[stage] = round(time.perf_counter() - start, 3)


def load_and_reason(
    settings: Settings, seconds: dict[str, float] | None = None, files: Sequence[Path] | None = None
) -> Dataset:
    """The asserted graphs of the source files (or ``files``) plus the inferred graph; ``seconds`` gets stage timings."""
    seconds = {} if seconds is None else seconds
    with _timed(seconds, "load"):
        ds = load_dataset(source_files(settings) if files is None else files, settings.base_iri)
    with _timed(seconds, "reason"):
        infer(ds, Vocab(settings.base_iri))
    return ds


def load_shapes(settings: Settings) -> Graph:
    """The SHACL shapes graph (``ontology/shapes.ttl``), rebased like the data."""
    return load_graph(settings.ontology_dir / "shapes.ttl", settings.base_iri)


def validate_dataset(ds: Dataset, settings: Settings) -> ValidationReport:
    """SHACL over the asserted graphs and what follows from them (see :func:`mcfkg.reason.validation_graph`),
    plus the caps that hold per source (:mod:`mcfkg.per_source`)."""
    vocab, shapes = Vocab(settings.base_iri), load_shapes(settings)
    data = validation_graph(ds, vocab)
    report = validate(data, shapes)
    extra = per_source_results(ds, shapes, data, vocab)
    if not extra:
        return report
    return ValidationReport(conforms=False, results=[*extra, *report.results], graph=report.graph)


def build(
    settings: Settings, files: Sequence[Path] | None = None, commit: Callable[[], None] | None = None
) -> BuildResult:
    """Load, reason, validate and write ``settings.dist_dir``; raise BuildFailed (writing nothing) on violations.

    ``files`` replaces the source files (``mcfkg ingest`` adds its candidate, ``mcfkg retract``
    leaves one out) and ``commit`` runs once they conform, before the export (it moves the data
    file into place): the data and dist/ change only after the whole graph has passed the shapes.
    """
    seconds: dict[str, float] = {}
    vocab = Vocab(settings.base_iri)
    ds = load_and_reason(settings, seconds, files)
    context = load_context(settings)
    with _timed(seconds, "validate"):
        report = validate_dataset(ds, settings)
    if not report.conforms:
        raise BuildFailed(report)
    if commit is not None:
        commit()
    with _timed(seconds, "export"):
        files = write_dist(ds, settings.dist_dir, context, vocab)
    dump = settings.dist_dir / dump_file(FORMATS["nquads"])
    if wanted(dump, settings.incremental_from_quads):
        with _timed(seconds, "state"):  # what the next ingest starts from (mcfkg.incremental)
            write_build_state(ds, settings.dist_dir, vocab, load_shapes(settings))
    else:
        remove_state(settings.dist_dir)
    graphs = {str(g.identifier): len(g) for g in ds.graphs() if len(g)}
    inferred = graphs.get(str(vocab.inferred_graph), 0)
    return BuildResult(
        asserted=sum(graphs.values()) - inferred,
        inferred=inferred,
        graphs=graphs,
        report=report,
        files=files,
        seconds=seconds,
    )
