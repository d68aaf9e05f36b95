"""SHACL validation: pySHACL (the oracle) against mcfkg.shacl, on generated data, with the reports compared.

For each size it generates shape-valid multi-source data (``bench/generate``), loads, reasons and
builds the graph the build validates (:func:`mcfkg.reason.validation_graph`, cached as N-Triples in
``--work`` because the reasoning is not what is measured), then times both engines on the same
graph and checks their reports are the same set of results (focus node, path, value, component,
severity, messages; see :mod:`mcfkg.shacl.compare`). pySHACL at 100k takes minutes: run it under
``nice``. Writes ``bench/results/validation-<time>.{md,json}``.

    PYTHONPATH=bench nice -n 10 .venv/bin/python bench/validation.py --sizes 10k 100k
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # noqa: E402

from mcfkg import shacl  # noqa: E402
from mcfkg.build import load_and_reason, load_shapes  # noqa: E402
from mcfkg.config import Settings  # noqa: E402
from mcfkg.graph import load_graph  # noqa: E402
from mcfkg.reason import validation_graph  # noqa: E402
from mcfkg.shacl.compare import result_set  # noqa: E402
from mcfkg.validate import pyshacl_report  # noqa: E402
from mcfkg.vocab import Vocab  # noqa: E402

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
RESULTS = Path(__file__).parent / "results"


def data_graph(size: str, seed: int, work: Path) -> tuple[Graph, float]:
    """The validated graph at ``size`` (from the cache, else generated and reasoned) and the reasoning seconds."""
    cache = work / f"validation-graph-{size}-{seed}.nt"
    if cache.exists():
        return Graph().parse(cache, format="nt"), 0.0
    out = work / f"data-{size}-{seed}"
    if not out.exists():
        generate(out, SIZES[size], seed)
    start = time.perf_counter()
    graph = validation_graph(load_and_reason(Settings(data_dir=out)), Vocab())
    seconds = time.perf_counter() - start
    graph.serialize(cache, format="nt", encoding="utf-8")
    return graph, seconds


def measure(size: str, seed: int, work: Path, oracle: bool, shapes: Graph) -> dict[str, object]:
    """Both engines on one graph: seconds, result counts and whether the reports are the same."""
    data, reasoning = data_graph(size, seed, work)
    start = time.perf_counter()
    found = shacl.results(data, shapes)
    mine = shacl.report_graph(found, not found, shapes, data)
    seconds = time.perf_counter() - start
    row: dict[str, object] = {"size": size, "triples": len(data), "reasoning_s": round(reasoning, 1),
                              "mcfkg_shacl_s": round(seconds, 2), "results": len(found)}
    print(json.dumps(row), flush=True)  # before pySHACL's minutes
    if oracle:
        start = time.perf_counter()
        expected = pyshacl_report(data, shapes)
        oracle_seconds = time.perf_counter() - start
        row["pyshacl_s"] = round(oracle_seconds, 1)
        row["same_report"] = result_set(mine, shapes) == result_set(expected, shapes)
        row["speed_up"] = round(oracle_seconds / max(seconds, 0.01), 1)
        print(json.dumps(row), flush=True)
    return row


STAMP = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")


def write_report(rows: list[dict[str, object]], seed: int, shapes: Path | None) -> Path:
    stamp = STAMP
    lines = [f"# SHACL validation: pySHACL vs mcfkg.shacl ({stamp} UTC)", "",
             f"Generated data (bench/generate, seed {seed}), reasoned as the build does; shapes "
             f"{shapes or 'ontology/shapes.ttl'}; {platform.machine()}, run under `nice` beside other work.", "",
             "| size | triples | results | mcfkg.shacl (s) | pySHACL (s) | speed-up | same report |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| {r['size']} | {r['triples']:,} | {r['results']} | {r['mcfkg_shacl_s']} | {r.get('pyshacl_s', '-')} "
              f"| {r.get('speed_up', '-')} | {r.get('same_report', '-')} |" for r in rows]
    path = RESULTS / f"validation-{stamp}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.with_suffix(".json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", choices=sorted(SIZES), default=["10k", "100k"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path("var/bench-validation"),
                        help="generated data and cached graphs (kept between runs)")
    parser.add_argument("--shapes", type=Path, help="another shapes file (default: ontology/shapes.ttl)")
    parser.add_argument("--no-oracle-above", type=int, default=100_000,
                        help="skip pySHACL above this many target triples (it takes hours at 1M)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    settings = Settings()
    shapes = load_graph(args.shapes, settings.base_iri) if args.shapes else load_shapes(settings)
    rows: list[dict[str, object]] = []
    for size in args.sizes:
        rows.append(measure(size, args.seed, args.work, SIZES[size] <= args.no_oracle_above, shapes))
        report = write_report(rows, args.seed, args.shapes)  # after each size, so a long pySHACL run loses nothing before it
    print(report)


if __name__ == "__main__":
    main()
