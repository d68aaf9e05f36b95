"""Command line: ``PYTHONPATH=bench .venv/bin/python -m generate --triples 10000 --seed 1 --out DIR``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from generate import OutputNotEmpty, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="generate", description="Write a data directory of invented sources for `mcfkg build` "
        "(MCFKG_DATA_DIR=OUT MCFKG_DIST_DIR=OUT-dist .venv/bin/mcfkg build).")
    parser.add_argument("--triples", type=int, default=10_000, help="about how many triples to write (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed and size give the same bytes")
    parser.add_argument("--out", type=Path, required=True, help="new or empty directory to write the data into")
    args = parser.parse_args(argv)
    if args.triples < 1:
        parser.error("--triples must be at least 1")
    start = time.perf_counter()
    try:
        done = generate(args.out, args.triples, args.seed)
    except OutputNotEmpty as exc:
        print(f"generate: {exc}", file=sys.stderr)
        return 2
    print(f"{done.triples} triples ({done.curation_triples} in curation.trig) in {done.sources} sources about "
          f"{done.cities} cities, seed {done.seed}, written to {args.out} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
