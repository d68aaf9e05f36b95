"""A seeded generator of realistic mcfkg data: many sources in the project's own model.

``generate(out, triples, seed)`` writes a data directory that ``mcfkg build`` reads in place of
``data/`` (``MCFKG_DATA_DIR=OUT``): ``OUT/sources/<id>.trig``, one invented release per file, laid
out as ``mcfkg ingest`` writes the real ones, and ``OUT/curation.trig``, the editors' graph
(concept schemes, Chinese labels, notes on where sources disagree). Sources share their cities,
plans, grants, agencies and concepts, and restate each other's numbers, sometimes differently.
The same seed and size give the same bytes, and a smaller size is nearly a prefix of a larger one:
every source file but the last (cut short to meet the size) and the curation graph. Run it as a script with
``PYTHONPATH=bench .venv/bin/python -m generate --triples 10000 --seed 1 --out OUT``, then build it with
``MCFKG_DATA_DIR=OUT MCFKG_DIST_DIR=OUT-dist .venv/bin/mcfkg build`` (the ontology and shapes stay the
project's). Benchmarks in ``bench/`` import it as ``from generate import generate``.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path

from generate.source import write_source
from generate.trig import write_header
from generate.world import World

MAX_SOURCE_TRIPLES = 600  # a release states 150-600 triples: the two real ones hold about 240 and 900


class OutputNotEmpty(Exception):
    """The output directory already holds files a build would read together with the new ones."""


@dataclass(frozen=True)
class Generated:
    """What was written: the exact triple (quad) count, sources, cities and files."""

    seed: int
    target: int
    triples: int
    sources: int
    cities: int
    curation_triples: int
    files: int


def generate(out: Path, triples: int, seed: int) -> Generated:
    """Write about ``triples`` triples of sources and curation under ``out`` (created; must be empty)."""
    if out.exists() and any(out.iterdir()):
        raise OutputNotEmpty(f"{out} is not empty: give a new directory (--out), or delete this one first")
    folder = out / "sources"
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    world = World(rng)
    written = 0
    sources = 0
    while written + world.curation.count < triples:
        budget = min(rng.randint(150, MAX_SOURCE_TRIPLES), triples - written - world.curation.count)
        written += write_source(world, rng, folder, budget).triples
        sources += 1
    with (out / "curation.trig").open("w", encoding="utf-8") as handle:
        write_header(handle, "What the editors add to the generated sources (bench/generate): concept schemes,\n"
                             "Chinese labels, and notes where the sources disagree. Invented data.")
        world.curation.write(handle)
    summary = Generated(seed, triples, written + world.curation.count, sources, len(world.cities),
                        world.curation.count, sources + 1)
    (out / "generated.json").write_text(json.dumps(asdict(summary), indent=2) + "\n", encoding="utf-8")
    return summary
