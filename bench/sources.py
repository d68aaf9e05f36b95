"""Wall time of ``mcfkg ingest`` and ``mcfkg retract`` through the console script, on a copy of the shipped data.

Not a test (no timing asserts anywhere in the suite): figures for the README and issue 10. The
shipped second source (retracted from the copy, then ingested again), the invented test fixture (tests/data/sources/, one entity reconciled with --same-as) and a
synthetic source of N facts (default 10 000: N/4 sentences, each stating 4 facts about a fictional
enterprise). Each time includes the whole rebuild (load, reason, validate, export).
Run: ``.venv/bin/python bench/sources.py [FACTS]``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "sources" / "test-fixture-qingshan-optics.trig"
SCRIPT = Path(sys.executable).parent / "mcfkg"
ID, GRAPH = "https://w3id.org/mcfkg/id/", "https://w3id.org/mcfkg/graph/"


def synthetic(facts: int, city: str = "mianyang", publisher: str = "mianyang-drc") -> str:
    """A source of ``facts`` fact triples (4 per sentence) in the project's conventions, as TriG: enterprises
    located in ``mcfid:CITY``, published by ``mcfid:PUBLISHER`` (both must be in the graph)."""
    sid = "synthetic-bench-source"
    lines = [
        "@prefix mcf: <https://w3id.org/mcfkg/def/> . @prefix mcfid: <https://w3id.org/mcfkg/id/> .",
        "@prefix mcfg: <https://w3id.org/mcfkg/graph/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix prov: <http://www.w3.org/ns/prov#> .",
        f"mcfg:{sid} {{",
        f'  mcfid:{sid} a mcf:SourceDocument ; rdfs:label "Synthetic benchmark source"@en ;',
        f'    dcterms:title "Synthetic benchmark source (invented)"@en ; dcterms:publisher mcfid:{publisher} ;',
        '    dcterms:language "en" ; mcf:dateStated false .',
    ]
    sentences = facts // 4
    for n in range(1, sentences + 1):
        lines.append(
            f'  <{ID}{sid}/p1/s{n}> a mcf:Passage ; rdfs:label "Synthetic source, sentence {n}"@en ; '
            f"dcterms:isPartOf mcfid:{sid} ; mcf:paragraph 1 ; mcf:sentence {n} .\n"
            f"  <{GRAPH}{sid}/p1/s{n}> a mcf:FactGraph ; prov:wasDerivedFrom <{ID}{sid}/p1/s{n}> ."
        )
    lines.append("}")
    for n in range(1, sentences + 1):
        lines.append(
            f"<{GRAPH}{sid}/p1/s{n}> {{ mcfid:synthetic-enterprise-{n} a mcf:Enterprise ; "
            f'rdfs:label "Synthetic Enterprise {n}"@en ; skos:altLabel "SE-{n}"@en ; mcf:locatedIn mcfid:{city} . }}'
        )
    return "\n".join(lines) + "\n"


def timed(root: Path, *args: str) -> float:
    """Seconds one command takes; the command must succeed."""
    env = {**os.environ, "MCFKG_ONTOLOGY_DIR": str(root / "ontology"), "MCFKG_DATA_DIR": str(root / "data"),
           "MCFKG_DIST_DIR": str(root / "dist")}
    start = time.perf_counter()
    done = subprocess.run([str(SCRIPT), *args], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return seconds


def main(facts: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(ROOT / "ontology", root / "ontology")
        shutil.copytree(ROOT / "data", root / "data")
        print(f"build (shipped graph): {timed(root, 'build'):.1f} s")
        second_id = "mianyang-mcf-special-fund-2018-04-28"
        second = root / f"{second_id}.trig"
        shutil.copy(root / "data" / "sources" / second.name, second)
        retract = timed(root, "retract", second_id)
        ingest = timed(root, "ingest", str(second))
        again = timed(root, "ingest", str(second))
        print(f"the second source (real, shipped): retract {retract:.1f} s, ingest {ingest:.1f} s, "
              f"ingest again (unchanged) {again:.1f} s")
        source = root / "synthetic.trig"
        source.write_text(synthetic(facts))
        cases = [("test fixture", FIXTURE, "test-fixture-qingshan-optics",
                  ["--same-as", "mcfid:test-fixture-mianyang=mcfid:mianyang"]),
                 (f"synthetic, {facts} facts", source, "synthetic-bench-source", [])]
        for name, path, sid, flags in cases:
            ingest = timed(root, "ingest", str(path), *flags)
            again = timed(root, "ingest", str(path), *flags)
            retract = timed(root, "retract", sid)
            print(f"{name}: ingest {ingest:.1f} s, ingest again (unchanged) {again:.1f} s, retract {retract:.1f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
