"""OWL-RL reasoning: mcfkg's reasoner against owlrl, on generated multi-source data.

Not a test (no timing asserts anywhere in the suite): figures for the README and issue 13. For
each size, ``bench/generate`` writes sources in the project's model (seed 1), loaded with the
shipped ontology; both closures a build needs (the validation closure without domain and range
premises, and the published one) are computed by mcfkg's reasoner in one run and by owlrl, one
run each as the build did before, and compared triple for triple after mcfkg's filters. Times
are CPU seconds of this process (the machine is shared; wall time is printed too). owlrl runs
only up to ``--owlrl-up-to`` triples. Writes ``bench/results/reasoning-<UTC time>.{md,json}``.
Run: ``nice -n 10 prlimit --as=12000000000 .venv/bin/python bench/reasoning.py [--sizes 10000 100000 1000000]``.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from generate import generate

from mcfkg.config import Settings
from mcfkg.graph import load_dataset, source_files, union_graph
from mcfkg.reason import Consequences, Triple, consequences, owlrl_consequences
from mcfkg.vocab import Vocab

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Row:
    """One size: triples given to the reasoners, CPU and wall seconds, the closures' sizes and whether they agree."""

    target: int
    triples: int
    mcfkg_cpu: float
    mcfkg_wall: float
    validation: int
    published: int
    owlrl_cpu: float | None = None
    owlrl_wall: float | None = None
    same_validation: bool | None = None
    same_published: bool | None = None
    peak_rss_mb: float = 0.0


def _timed(run: Callable[[], Consequences]) -> tuple[Consequences, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    result = run()
    return result, time.process_time() - cpu, time.perf_counter() - wall


def measure(target: int, owlrl: bool, vocab: Vocab) -> Row:
    with tempfile.TemporaryDirectory() as out:
        generate(Path(out), target, 1)
        ontology = [path for path in source_files(Settings()) if path.suffix == ".ttl"]
        files = [*ontology, *sorted(Path(out).rglob("*.trig"))]
        stated: set[Triple] = set(union_graph(load_dataset(files)))
    ours, cpu, wall = _timed(lambda: consequences(stated, vocab))
    row = Row(target, len(stated), round(cpu, 2), round(wall, 2), len(ours.validation), len(ours.published))
    if owlrl:
        oracle, row.owlrl_cpu, row.owlrl_wall = _timed(lambda: owlrl_consequences(stated, vocab))
        row.owlrl_cpu, row.owlrl_wall = round(row.owlrl_cpu, 2), round(row.owlrl_wall, 2)
        row.same_validation = set(ours.validation) == set(oracle.validation)
        row.same_published = set(ours.published) == set(oracle.published)
    row.peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)
    return row


def report(rows: list[Row]) -> str:
    lines = [
        "| target | triples | mcfkg CPU s (wall) | owlrl CPU s (wall) | speed-up (CPU) | validation / published inferred"
        " | same as owlrl | peak RSS MB |",
        "|---:|---:|---:|---:|---:|---:|:---|---:|",
    ]
    for r in rows:
        owlrl = f"{r.owlrl_cpu} ({r.owlrl_wall})" if r.owlrl_cpu is not None else "not run"
        speedup = f"{r.owlrl_cpu / r.mcfkg_cpu:.0f}x" if r.owlrl_cpu is not None else "-"
        same = "-" if r.same_validation is None else f"validation {_yes(r.same_validation)}, published {_yes(r.same_published)}"
        lines.append(
            f"| {r.target:,} | {r.triples:,} | {r.mcfkg_cpu} ({r.mcfkg_wall}) | {owlrl} | {speedup} "
            f"| {r.validation:,} / {r.published:,} | {same} | {r.peak_rss_mb:,.0f} |"
        )
    return "\n".join(lines)


def _yes(same: bool | None) -> str:
    return "yes" if same else "NO"


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="triples to generate")
    parser.add_argument("--owlrl-up-to", type=int, default=100_000, help="run owlrl only at sizes up to this")
    args = parser.parse_args(argv)
    # owlrl leaves its own xsd:gMonthDay parser registered in rdflib after a run, and that parser
    # rejects valid values ("--04-01"): each later parse logs a traceback. The values are unaffected.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    vocab, rows = Vocab(), []
    for size in args.sizes:
        rows.append(measure(size, size <= args.owlrl_up_to, vocab))
        print(report(rows[-1:]).splitlines()[-1], flush=True)
    table = report(rows)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"reasoning-{stamp}.json").write_text(json.dumps([asdict(r) for r in rows], indent=2) + "\n")
    (RESULTS / f"reasoning-{stamp}.md").write_text(
        f"# OWL-RL reasoning: mcfkg's reasoner vs owlrl\n\n`bench/reasoning.py --sizes {' '.join(map(str, args.sizes))}`, "
        f"{stamp} UTC. Both closures a build needs; CPU seconds of the benchmark process (wall in brackets).\n\n{table}\n"
    )
    print(table)
    return table


if __name__ == "__main__":
    main()
