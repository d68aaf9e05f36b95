"""Extraction benchmark: the candidates of assisted extraction scored against hand-annotated sources.

Not a test (no score is asserted anywhere): the figures for the README and issue 11. Run
``.venv/bin/python bench/extraction.py``; it prints two tables, the misses and the false positives,
and writes the same as Markdown to bench/results/extraction.md (gitignored). It runs the extractor's
own functions (``mcfkg.extract.text.read_article``, ``mcfkg.extract.pipeline.extract``), as
``mcfkg extract`` does, and scores with :mod:`mcfkg.extract.scoring` (the rules are in its docstring:
per sentence, entities by type, amounts, counts and lower bounds, dates, relations).

(a) **The first article** (data/sources/mianyang-mcf-article.txt) against its curated graph
    (data/mianyang-mcf-article.trig), with that graph removed from the gazetteer, so the extractor
    cannot find what it is scored on. "Removed" means:

    1. every graph of the article is left out: ``mcfg:mianyang-mcf-article`` and every
       ``mcfg:mianyang-mcf-article/pN/sM`` (also passed as ``exclude_graph_prefixes``);
    2. the editors' graphs (``mcfg:curation``, ``mcfg:links``: every graph that is not a source's)
       lose every name (``rdfs:label``, ``skos:prefLabel``/``altLabel``/``hiddenLabel``,
       ``mcf:matchedLabel``) of an entity the article's graphs mention, and of a link record about
       one: they name those entities only because the article introduced them ("Communist Party of
       China", "military-civil fusion", the Chinese labels);
    3. what other **sources** state is kept, since a later article may rightly use it: the second
       source (data/sources/mianyang-mcf-special-fund-2018-04-28.trig) names two of the article's
       entities ("Miangyang" for Mianyang, "Mianyang Municipal Development and Reform Commission"),
       and the report lists every such name, so the reader sees exactly what the extractor was given.

    The URL and the publication date are passed, as a user would from the page; the publisher is not
    (its IRI would give the answer away).

(b) **The invented articles** (tests/data/extraction/articles/, written for this, annotated by hand in
    tests/data/extraction/gold/) with the shipped graph as gazetteer (``--own-gazetteer empty`` for
    none): they are fictional, so nearly every name in them is new. Each gold file's URL and date are
    passed, as in (a).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from importlib.metadata import version
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Dataset, Graph, Literal, URIRef

from mcfkg.config import Settings
from mcfkg.extract.gazetteer import Gazetteer
from mcfkg.extract.model import Extraction
from mcfkg.extract.pipeline import extract
from mcfkg.extract.scoring import SUMMARY_ROWS, TYPE_ROW, Score, Tally, score
from mcfkg.extract.text import read_article
from mcfkg.graph import load_dataset, source_files
from mcfkg.vocab import CANONICAL

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = Path(__file__).resolve().parent / "results"
FIRST_ID = "mianyang-mcf-article"
FIRST_TEXT = ROOT / "data" / "sources" / "mianyang-mcf-article.txt"
FIRST_GOLD = ROOT / "data" / "mianyang-mcf-article.trig"
OWN_DIR = ROOT / "tests" / "data" / "extraction"
MCF, ID, GRAPH = CANONICAL.MCF, CANONICAL.ID, CANONICAL.GRAPH
SCHEMA = "https://schema.org/"
DCTERMS = "http://purl.org/dc/terms/"
RDF_SUBJECT = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject")
NAMES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, MCF.matchedLabel)


@dataclass
class Run:
    """One article: its name, its score, the extraction, how long extracting took, what was passed."""

    name: str
    score: Score
    extraction: Extraction
    seconds: float
    given: str


# ------------------------------------------------------------------------------------------ (a)
def without_article(ds: Dataset, article_id: str) -> tuple[Dataset, list[str]]:
    """``ds`` with the article's graphs removed and the editors' names for its entities dropped (see the
    module docstring), and the names of its entities that other sources still give, one line each."""
    own = str(GRAPH[article_id])
    sources = {str(s)[len(str(ID)):] for s, _, _, _ in ds.quads((None, RDF.type, MCF.SourceDocument, None))}

    def of_article(graph: str) -> bool:
        return graph == own or graph.startswith(own + "/")

    def of_a_source(graph: str) -> bool:
        return any(graph == f"{GRAPH}{sid}" or graph.startswith(f"{GRAPH}{sid}/") for sid in sources)

    entities: set = set()
    for s, _, o, g in ds.quads((None, None, None, None)):
        if of_article(str(g)):
            entities |= {n for n in (s, o) if isinstance(n, URIRef) and str(n).startswith(str(ID))}
    records = {s for s, _, o, _ in ds.quads((None, RDF_SUBJECT, None, None)) if o in entities}
    kept = Dataset()
    still_named: list[str] = []
    for s, p, o, g in ds.quads((None, None, None, None)):
        graph = str(g)
        if of_article(graph):
            continue
        if p in NAMES and (s in entities or s in records):
            if not of_a_source(graph):
                continue
            still_named.append(f"{o!s} ({_curie(p)}) for {_curie(s)}, stated in {_curie(g)}")
        (kept.graph(g) if g is not None else kept.default_graph).add((s, p, o))
    return kept, sorted(still_named)


def _curie(node: object) -> str:
    text = str(node)
    for prefix, ns in (("mcfid:", str(ID)), ("mcfg:", str(GRAPH)), ("mcf:", str(MCF)),
                       ("rdfs:", str(RDFS)), ("skos:", str(SKOS))):
        if text.startswith(ns):
            return prefix + text[len(ns):]
    return text


# ------------------------------------------------------------------------------------------ running
def metadata(gold: Dataset, source_id: str) -> tuple[str | None, date | None]:
    """The URL and publication date the gold records for a source (what a user passes to ``mcfkg extract``)."""
    source = ID[source_id]
    url = next((str(o) for _, _, o, _ in gold.quads((source, URIRef(SCHEMA + "url"), None, None))), None)
    issued = next((o for _, _, o, _ in gold.quads((source, URIRef(DCTERMS + "issued"), None, None))), None)
    return url, (date.fromisoformat(str(issued)) if isinstance(issued, Literal) else None)


def run(name: str, text: Path, gold: Dataset, gazetteer: Gazetteer, ontology: Graph) -> Run:
    url, published = metadata(gold, name)
    start = time.perf_counter()
    article = read_article(text, url=url, published=published)
    extraction = extract(article, gazetteer, name)
    seconds = time.perf_counter() - start
    given = f"--url {url} --published {published}" if url or published else "no metadata"
    return Run(name, score(gold, name, extraction, ontology, known=set(gazetteer.entries)), extraction, seconds, given)


# ------------------------------------------------------------------------------------------ report
def _f(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _label(row: str) -> str:
    if row.startswith(TYPE_ROW):
        return "&nbsp;&nbsp;" + row[len(TYPE_ROW):]
    return f"&nbsp;&nbsp;{row}" if row not in (SUMMARY_ROWS[0], *SUMMARY_ROWS[4:]) else f"**{row}**"


def _rows(result: Score) -> list[str | None]:
    """The rows in order, None where the rows by entity type begin."""
    rows: list[str | None] = list(result.rows())
    rows.insert(len(SUMMARY_ROWS), None)
    return rows


def first_table(result: Score) -> list[str]:
    lines = ["| | gold | extracted | TP | FP | FN | precision | recall | F1 |", "|---|---|---|---|---|---|---|---|---|"]
    for row in _rows(result):
        if row is None:
            lines.append("| *entities by type (name + type)* |" + " |" * 8)
            continue
        t = result[row]
        lines.append(f"| {_label(row)} | {t.gold} | {t.extracted} | {t.tp} | {t.fp} | {t.fn} | "
                     f"{_f(t.precision)} | {_f(t.recall)} | {_f(t.f1)} |")
    return lines


def own_table(runs: list[Run], total: Score) -> list[str]:
    head = "| | " + " | ".join(f"{r.name} P / R" for r in runs) + " | gold | extracted | TP | precision | recall | F1 |"
    lines = [head, "|---|" + "---|" * (len(runs) + 6)]
    for row in _rows(total):
        if row is None:
            lines.append("| *entities by type (name + type)* |" + " |" * (len(runs) + 6))
            continue
        t: Tally = total[row]
        cells = [f"{_f(r.score[row].precision)} / {_f(r.score[row].recall)}" for r in runs]
        lines.append(f"| {_label(row)} | " + " | ".join(cells) +
                     f" | {t.gold} | {t.extracted} | {t.tp} | {_f(t.precision)} | {_f(t.recall)} | {_f(t.f1)} |")
    return lines


def details(run: Run) -> list[str]:
    lines = [f"#### {run.name}: misses ({len(run.score.misses)})", ""]
    lines += [f"- {item}" for item in run.score.misses] or ["- none"]
    lines += ["", f"#### {run.name}: false positives ({len(run.score.false_positives)})", ""]
    lines += [f"- {item}" for item in run.score.false_positives] or ["- none"]
    if run.score.notes:
        lines += ["", f"#### {run.name}: sentence alignment", "", *(f"- {n}" for n in run.score.notes)]
    if run.extraction.notes:
        lines += ["", f"#### {run.name}: the extractor's notes", "", *(f"- {n}" for n in run.extraction.notes)]
    return lines + [""]


def _git() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src/mcfkg/extract"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        return head + (" + uncommitted changes in src/mcfkg/extract" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("all", "first", "own"), default="all", help="which table(s) to make")
    parser.add_argument("--own-gazetteer", choices=("shipped", "empty"), default="shipped",
                        help="the gazetteer for the invented articles: the shipped graph (data/) or no names at all")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "extraction.md", help="where the Markdown goes")
    parser.add_argument("--brief", action="store_true", help="print the tables only (the file still gets everything)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> str:
    args = _parse_args(argv)
    settings = Settings.from_env()
    ontology = Graph().parse(settings.ontology_dir / "mcf.ttl")
    shipped = load_dataset(source_files(settings))
    meta = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "`" + " ".join(["python bench/extraction.py", *(argv if argv is not None else sys.argv[1:])]) + "`",
        "extractor": f"mcfkg.extract at {_git()}; spaCy {version('spacy')}, rdflib {version('rdflib')}",
    }
    out: list[str] = [f"# Extraction benchmark, {meta['date']}", "", *(f"- {k}: {v}" for k, v in meta.items() if k != "date"), ""]
    tables: list[str] = []
    detail: list[str] = []
    if args.only in ("all", "first"):
        kept, still_named = without_article(shipped, FIRST_ID)
        gazetteer = Gazetteer.from_dataset(kept, exclude_graph_prefixes=(str(GRAPH[FIRST_ID]),), ontology=ontology)
        gold = load_dataset([FIRST_GOLD])
        first = run(FIRST_ID, FIRST_TEXT, gold, gazetteer, ontology)
        section = [
            "## (a) The first article, its curated graph removed from the gazetteer", "",
            f"data/sources/mianyang-mcf-article.txt scored against data/mianyang-mcf-article.trig, per sentence; "
            f"given `{first.given}`; extracted in {first.seconds:.1f} s. Gazetteer: the shipped graph without the article's graphs and "
            f"without the editors' names for its entities ({len(gazetteer)} named entities left). Names of the "
            f"article's entities it still knows, all stated by another source:", "",
            *(f"- {line}" for line in still_named or ["none"]), "",
            *first_table(first.score), "",
        ]
        tables += section
        detail += ["### (a) the first article", "", *details(first)]
    if args.only in ("all", "own"):
        gazetteer = Gazetteer.from_dataset(shipped if args.own_gazetteer == "shipped" else Dataset(), ontology=ontology)
        runs = []
        for gold_path in sorted((OWN_DIR / "gold").glob("*.trig")):
            text = OWN_DIR / "articles" / f"{gold_path.stem}.txt"
            if text.exists():
                runs.append(run(gold_path.stem, text, load_dataset([gold_path]), gazetteer, ontology))
        total = Score()
        for r in runs:
            total += r.score
        which = ("the shipped graph (data/, "f"{len(gazetteer)} named entities)" if args.own_gazetteer == "shipped"
                 else "empty (no names known)")
        tables += [
            "## (b) The invented articles, annotated by hand", "",
            f"tests/data/extraction/articles/*.txt scored against tests/data/extraction/gold/*.trig, per sentence; "
            f"gazetteer: {which}. Given and time taken: " + "; ".join(f"{r.name}: `{r.given}`, {r.seconds:.1f} s"
                                                                        for r in runs) + ".", "",
            *own_table(runs, total), "",
        ]
        detail += ["### (b) the invented articles", ""]
        for r in runs:
            detail += details(r)
    out += tables + ["## Misses and false positives", "", *detail]
    report = "\n".join(out).rstrip() + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report)
    print("\n".join(tables) if args.brief else report)
    print(f"saved to {args.out}")
    return report


if __name__ == "__main__":
    main()
