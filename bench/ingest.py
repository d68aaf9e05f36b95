"""Ingest time through the build's state (mcfkg.incremental) against a full rebuild, on generated data.

For each size, ``bench/generate`` writes the base (SEED) and a slightly larger set from the same
world; the larger set's sources that the base lacks are the new sources (they name the base's
cities, plans, grants and agencies, as a new release would). Then, through the console script:

1. ``mcfkg build`` of the base (timed: the full rebuild an ingest used to run);
2. ``mcfkg ingest`` of a 1,000-fact source (``bench/sources.py``'s synthetic source, its enterprises
   in one of the base's cities) and of the new generated sources, one after the other, each timed
   end to end (process start to exit) with the stages the command reports (a first run lists the new
   entities sharing a name with existing ones; the timed run declares them distinct);
3. at sizes up to ``--compare-up-to``, ``mcfkg build`` of the resulting data/ into another folder,
   and the two N-Quads dumps compared by content (blank nodes relabelled canonically per graph);
4. the 1,000-fact source ingested again into ``--repeat`` - 1 fresh copies of the base: its median,
   fastest and slowest time (the disk of a shared machine makes single runs vary by a second).

Writes ``bench/results/ingest-<time>.{md,json}``. Memory: each command under ``prlimit --as``.

    nice -n 5 .venv/bin/python bench/ingest.py --sizes 10k 100k 1m
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Dataset
from rdflib.compare import to_canonical_graph

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # noqa: E402
from sources import synthetic  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).parent / "mcfkg"
RESULTS = Path(__file__).parent / "results"
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
EXTRA = 2_500  # triples of new sources generated beyond the base
MEMORY = "--as=16000000000"


def run(root: Path, dist: str, *args: str, allowed: tuple[int, ...] = (0,)) -> tuple[float, str]:
    """Seconds ``mcfkg ARGS`` takes on the project under ``root``, and its standard output; it must exit
    with one of ``allowed``."""
    env = {**os.environ, "MCFKG_ONTOLOGY_DIR": str(root / "ontology"), "MCFKG_DATA_DIR": str(root / "data"),
           "MCFKG_DIST_DIR": str(root / dist), "MCFKG_INCREMENTAL_FROM_QUADS": "0"}
    start = time.perf_counter()
    done = subprocess.run(["prlimit", MEMORY, str(SCRIPT), *args], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in allowed:
        raise SystemExit(f"mcfkg {' '.join(args)} failed ({done.returncode}):\n{done.stderr}{done.stdout}")
    return seconds, done.stdout


def prepare(work: Path, size: int, seed: int) -> tuple[Path, list[Path]]:
    """The base project under ``work`` and the new sources' files (not in its data/)."""
    root = work / f"base-{size}"
    shutil.rmtree(root, ignore_errors=True)
    generate(root / "data", size, seed)
    shutil.copytree(ROOT / "ontology", root / "ontology")
    larger = work / f"larger-{size}"
    shutil.rmtree(larger, ignore_errors=True)
    generate(larger, size + EXTRA, seed)
    have = {path.name for path in (root / "data" / "sources").iterdir()}
    new = sorted((p for p in (larger / "sources").iterdir() if p.name not in have), key=lambda p: p.stat().st_mtime_ns)
    incoming = work / f"incoming-{size}"
    shutil.rmtree(incoming, ignore_errors=True)
    incoming.mkdir()
    moved = [Path(shutil.copy(path, incoming / path.name)) for path in new[:-1]]  # the last one is cut short
    city = _a_city(root / "data" / "sources")
    synthetic_file = incoming / "synthetic-bench-source.trig"
    synthetic_file.write_text(synthetic(1000, city=city, publisher=f"{city}-drc"))
    return root, [synthetic_file, *moved]


def _a_city(folder: Path) -> str:
    for path in sorted(folder.iterdir()):
        found = re.search(r"mcfid:([a-z-]+) a mcf:City", path.read_text())
        if found:
            return found.group(1)
    raise SystemExit(f"no city in {folder}")


def ingest(root: Path, source: Path) -> tuple[float, dict]:
    """Seconds and outcome of ingesting ``source``. A generated source whose new entities share a name with
    existing ones (the generator reuses titles such as "Progress of military-civil fusion in X") is refused
    with the list of them; the timed run is then the one that declares them distinct, as a user would."""
    seconds, out = run(root, "dist", "ingest", "--json", str(source), allowed=(0, 1))
    change = json.loads(out)
    if change["status"] == "refused" and change["pending"]:
        new = dict.fromkeys(pending["new"] for pending in change["pending"])
        seconds, out = run(root, "dist", "ingest", "--json", str(source), *(a for iri in new for a in ("--distinct", iri)),
                           allowed=(0, 1))
        change = json.loads(out)
    return seconds, change


def canonical_quads(dump: Path) -> set[tuple[str, object]]:
    ds = Dataset()
    ds.parse(dump, format="nquads")
    return {(str(g.identifier), t) for g in ds.graphs() for t in to_canonical_graph(g)}


def built(work: Path, size: int, seed: int, reuse: bool) -> tuple[Path, list[Path], float]:
    """The base project built (a copy of the one kept from an earlier run with ``reuse``), the new sources and
    the full build's seconds. A build at 1M takes about 20 minutes: ``--reuse`` measures ingests again without it."""
    kept = work / f"built-{size}-seed{seed}"
    if not (reuse and (kept / "build.json").is_file()):
        root, sources = prepare(work, size, seed)
        build_s, _ = run(root, "dist", "build")
        shutil.rmtree(kept, ignore_errors=True)
        shutil.copytree(root, kept)
        (kept / "build.json").write_text(json.dumps({"seconds": build_s, "sources": [str(p) for p in sources]}))
    saved = json.loads((kept / "build.json").read_text())
    root = work / f"base-{size}"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(kept, root)  # a copy: the state's RocksDB files are changed in place
    os.sync()  # the copy written out now, not during the ingests timed next
    return root, [Path(p) for p in saved["sources"]], saved["seconds"]


def repeated(work: Path, size: int, seed: int, source: Path, times: int) -> list[float]:
    """Seconds of ingesting ``source`` into ``times`` fresh copies of the kept build: one run on a machine
    whose disk is shared shows its noise as much as the ingest, the median does not."""
    found = []
    for _ in range(times):
        root, _, _ = built(work, size, seed, reuse=True)
        seconds, change = ingest(root, source)
        if change["status"] != "ingested":
            raise SystemExit(f"{source.name} was not ingested: {change['message']}")
        found.append(round(seconds, 2))
        print(f"  ingest {source.name} into a fresh copy: {seconds:.2f} s {change['build'].get('seconds', '')}",
              flush=True)
        shutil.rmtree(root)
    return found


def measure(label: str, size: int, seed: int, work: Path, compare_up_to: int, reuse: bool, repeat: int,
            ) -> dict[str, object]:
    root, sources, build_s = built(work, size, seed, reuse)
    quads = sum(1 for _ in open(root / "dist" / "mcfkg.nq", "rb"))
    print(f"{label}: full build {build_s:.1f} s ({quads} quads)", flush=True)
    ingests = []
    for source in sources:
        seconds, change = ingest(root, source)
        # A generated source may break a shape that the larger set's curation graph satisfies (its notes on
        # where sources disagree): the refusal is measured too, and the next source tried.
        ingests.append({"source": source.name, "status": change["status"], "quads": change["quads"],
                        "seconds": round(seconds, 2), "incremental": change["build"].get("incremental", False),
                        "stages": change["build"].get("seconds", {}),
                        "violations": [v["message"] for v in change["violations"]]})
        print(f"  ingest {source.name}: {change['status']}, {change['quads']} quads, {seconds:.2f} s "
              f"{change['build'].get('seconds', '')}", flush=True)
        if sum(i["status"] == "ingested" for i in ingests) == 4:
            break
    same = None
    if size <= compare_up_to:
        run(root, "full", "build")
        same = canonical_quads(root / "dist" / "mcfkg.nq") == canonical_quads(root / "full" / "mcfkg.nq")
        print(f"  same dump as a full build of the result: {same}", flush=True)
    shutil.rmtree(root)
    again = repeated(work, size, seed, sources[0], repeat - 1) if repeat > 1 else []
    first = [i["seconds"] for i in ingests[:1]]
    return {"size": label, "quads": quads, "full_build_s": round(build_s, 1), "ingests": ingests, "same_as_full": same,
            "synthetic_runs": sorted(first + again)}


def report(rows: list[dict[str, object]], command: str) -> str:
    lines = [f"# Ingest through the build's state, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC", "",
             f"- command: `{command}`", f"- machine: {os.cpu_count()} cores, Python {platform.python_version()}",
             "- each time is one `mcfkg ingest --json` process, start to exit (Python start-up and imports included)",
             "", "| graph | quads | full build s | source | outcome | quads | ingest s | stages s | same as full build |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        for ingest in row["ingests"]:  # type: ignore[attr-defined]
            stages = ", ".join(f"{k} {v}" for k, v in ingest["stages"].items())
            same = {None: "not compared", True: "yes", False: "**no**"}[row["same_as_full"]]  # type: ignore[index]
            outcome = ingest["status"] + (f" ({'; '.join(ingest['violations'])})" if ingest["violations"] else "")
            lines.append(f"| {row['size']} | {row['quads']:,} | {row['full_build_s']} | {ingest['source']} | {outcome} | "
                         f"{ingest['quads']} | {ingest['seconds']} | {stages} | {same} |")
    lines += ["", "The 1,000-fact source ingested into fresh copies of the base (`--repeat`), seconds:", "",
              "| graph | runs | median | fastest | slowest | each |", "|---|---|---|---|---|---|"]
    for row in rows:
        runs = row["synthetic_runs"]
        lines.append(f"| {row['size']} | {len(runs)} | {statistics.median(runs)} | {runs[0]} | {runs[-1]} | "  # type: ignore[arg-type, index]
                     f"{', '.join(map(str, runs))} |")  # type: ignore[arg-type]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["10k", "100k"], choices=SIZES)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/mcfkg-bench-ingest"))
    parser.add_argument("--compare-up-to", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="start from the build kept by an earlier run (in --work)")
    parser.add_argument("--repeat", type=int, default=5, help="fresh copies the 1,000-fact source is ingested into")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rows = [measure(label, SIZES[label], args.seed, args.work, args.compare_up_to, args.reuse, args.repeat)
            for label in args.sizes]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    RESULTS.mkdir(exist_ok=True)
    command = "nice -n 5 .venv/bin/python bench/ingest.py " + " ".join(sys.argv[1:])
    (RESULTS / f"ingest-{stamp}.md").write_text(report(rows, command))
    (RESULTS / f"ingest-{stamp}.json").write_text(json.dumps(rows, indent=2))
    print(report(rows, command))


if __name__ == "__main__":
    main()
