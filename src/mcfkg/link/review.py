"""The review file between ``link propose`` and ``link accept``, and the links it becomes.

A person reads each candidate row, writes ``accept`` or ``reject`` in the ``decision``
column (and may change the suggested ``predicate``), and ``link accept`` turns the accepted
rows into links in the ``links`` graph, each reified with who accepted it, when, from
which evidence and which endpoint, so a published link can always answer "why do you say so?".
Each row names the endpoint that produced it (a Wikidata-shaped SPARQL endpoint, or the GeoNames
search service for a GeoNames feature): a candidate from a local stand-in must never be recorded
as if it came from Wikidata or GeoNames.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rdflib import OWL, PROV, RDF, SKOS, XSD, Dataset, Graph, Literal, URIRef

from mcfkg.graph import load_dataset, rebase
from mcfkg.link.candidates import Candidate
from mcfkg.link.geonames import GN
from mcfkg.link.local import LINK_PROPERTIES
from mcfkg.link.wikidata import WD, WIKIDATA_SPARQL, qid
from mcfkg.vocab import CANONICAL, CANONICAL_BASE, Vocab

COLUMNS = ["entity", "entity_label", "candidate", "candidate_label", "language", "score", "label_score",
           "type_ok", "place_ok", "evidence", "advice", "predicate", "decision", "endpoint"]
PREDICATES = {"owl:sameAs": OWL.sameAs, "skos:exactMatch": SKOS.exactMatch, "skos:closeMatch": SKOS.closeMatch}
DECISIONS = {"accept", "reject", ""}
GEONAMES_FEATURE = re.compile(re.escape(GN) + r"[1-9][0-9]*/")
EDITORS_SLUG = "mcfkg-editors"


class ReviewError(ValueError):
    """A review file that cannot be accepted as it is; the message names the row."""


@dataclass(frozen=True)
class Decision:
    """An accepted row of the review file: the link it asks for and the evidence to record with it."""

    row: int
    entity: URIRef
    target: URIRef
    predicate: URIRef
    matched_label: Literal
    evidence: str
    endpoint: str


def suggestion(c: Candidate) -> tuple[str, str]:
    """The predicate to suggest (none when the evidence is against the candidate) and advice for the reviewer."""
    if c.doubts:
        return "", "reject suggested: " + "; ".join(c.doubts)
    if c.type_ok and c.place_ok is not False and c.label_score >= 90:
        return "owl:sameAs", "accept if it is the very same thing"
    if c.type_ok is None:
        return "skos:closeMatch", "check its type by hand before accepting"
    return "skos:closeMatch", "accept if it is a close counterpart"


def write_review(candidates: list[Candidate], path: Path, endpoints: dict[str, str]) -> int:
    """Write one row per candidate with an empty decision and the endpoint of its dataset (``endpoints``:
    wikidata/geonames to the URL asked); returns the number of rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for c in candidates:
            predicate, advice = suggestion(c)
            writer.writerow({
                "entity": str(c.entity.iri), "entity_label": c.matched_label, "candidate": c.target,
                "candidate_label": c.their_label, "language": c.language, "score": c.score,
                "label_score": c.label_score, "type_ok": _flag(c.type_ok), "place_ok": _flag(c.place_ok),
                "evidence": c.evidence, "advice": advice, "predicate": predicate, "decision": "",
                "endpoint": endpoints[c.dataset],
            })
    return len(candidates)


def _flag(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def read_decisions(path: Path, base_iri: str) -> list[Decision]:
    """The accepted rows of a review file; every row is checked so a typo is caught, not skipped."""
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as exc:
        raise ReviewError(f"cannot read review file {path}: {exc.strerror or exc}") from None
    accepted: list[Decision] = []
    id_ns = str(Vocab(base_iri).ID)
    with handle:
        reader = csv.DictReader(handle)
        required = ("entity", "candidate", "predicate", "decision", "endpoint")
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ReviewError(f"{path}: missing column(s) {', '.join(missing)}; regenerate it with `mcfkg link propose`")
        for number, row in enumerate(reader, start=2):
            decision = (row.get("decision") or "").strip().lower()
            if decision not in DECISIONS:
                raise ReviewError(f"{path}:{number}: decision {row['decision']!r} is not accept, reject or empty")
            if decision != "accept":
                continue
            entity, target, endpoint = row["entity"].strip(), row["candidate"].strip(), row["endpoint"].strip()
            predicate = PREDICATES.get(row["predicate"].strip())
            if not entity.startswith(id_ns):
                raise ReviewError(f"{path}:{number}: entity {entity!r} is not one of ours ({id_ns}…)")
            if qid(target) is None and not GEONAMES_FEATURE.fullmatch(target):
                raise ReviewError(f"{path}:{number}: candidate {target!r} is neither a Wikidata item IRI nor a "
                                  f"GeoNames feature IRI ({GN}<id>/)")
            if not row["predicate"].strip():
                raise ReviewError(f"{path}:{number}: accepted without a predicate; propose suggests none when the "
                                  f"evidence is against the candidate ({row.get('advice') or 'see evidence'}). "
                                  f"Reject it, or write one of {', '.join(PREDICATES)} if you are sure")
            if predicate is None:
                raise ReviewError(f"{path}:{number}: predicate must be one of {', '.join(PREDICATES)}")
            if not endpoint.startswith(("http://", "https://")):
                raise ReviewError(f"{path}:{number}: endpoint {endpoint!r} is not the http(s) URL of the endpoint "
                                  "the candidate came from; regenerate the file with `mcfkg link propose`")
            label = Literal(row.get("entity_label", ""), lang=row.get("language") or None)
            accepted.append(Decision(number, URIRef(entity), URIRef(target), predicate, label,
                                     row.get("evidence", ""), endpoint))
    return accepted


def links_dataset(decisions: list[Decision], review_file: Path, base_iri: str,
                  when: datetime | None = None) -> Dataset:
    """The accepted links with their provenance, in the canonical base (as data files are written).

    Each record is derived from the endpoint its row came from and the item as that endpoint
    names it; Wikidata's page for the item is cited only when the endpoint is Wikidata's own.
    """
    vocab, mcf = CANONICAL, CANONICAL.MCF
    when = when or datetime.now(UTC).replace(microsecond=0)
    ds = Dataset()
    for prefix, ns in (("mcf", mcf), ("mcfid", vocab.ID), ("mcfg", vocab.GRAPH), ("wd", WD), ("gn", GN),
                       ("prov", PROV), ("owl", OWL), ("skos", SKOS)):
        ds.bind(prefix, ns)
    graph = ds.graph(vocab.GRAPH["links"])
    for d in decisions:
        subject = _canonical_subject(d, base_iri)
        slug = str(subject).rsplit("/", 1)[-1]
        record = vocab.ID[f"link/{slug}-{_target_key(str(d.target))}"]
        graph.add((subject, d.predicate, d.target))
        for cls in (RDF.Statement, PROV.Entity, mcf.LinkRecord):
            graph.add((record, RDF.type, cls))
        graph.add((record, RDF.subject, subject))
        graph.add((record, RDF.predicate, d.predicate))
        graph.add((record, RDF.object, d.target))
        graph.add((record, PROV.wasDerivedFrom, URIRef(d.endpoint)))
        graph.add((record, PROV.wasDerivedFrom, d.target))
        if d.endpoint == WIKIDATA_SPARQL:
            graph.add((record, PROV.wasDerivedFrom, URIRef(f"https://www.wikidata.org/wiki/{qid(str(d.target))}")))
        graph.add((record, PROV.generatedAtTime, Literal(when.isoformat(), datatype=XSD.dateTime)))
        graph.add((record, PROV.wasAttributedTo, vocab.ID[EDITORS_SLUG]))
        graph.add((record, mcf.verificationMethod, Literal(
            f"mcfkg link propose against {d.endpoint}; accepted by a reviewer in {review_file.name} row {d.row}")))
        graph.add((record, mcf.matchedLabel, d.matched_label))
        if d.evidence:
            graph.add((record, SKOS.note, Literal(d.evidence)))
    return ds


def append_links(ds: Dataset, links_file: Path) -> int:
    """Append the links to ``links_file`` (TriG allows a graph in several blocks); returns triples added."""
    added = sum(1 for _ in ds.quads((None, None, None, None)))
    text = ds.serialize(format="trig")
    links_file.parent.mkdir(parents=True, exist_ok=True)
    with links_file.open("a", encoding="utf-8") as handle:
        handle.write("\n# Accepted with `mcfkg link accept`.\n" + text)
    return added


def existing_links(links_file: Path) -> Graph:
    """The links graph of ``links_file`` as RDF (canonical base, as it is written); empty if there is no file yet.

    ``accept`` decides what is already there from the file's triples, not its text, so a link
    written in another prefix, order or block still counts.
    """
    if links_file.suffix.lower() != ".trig":
        raise ReviewError(f"--links {links_file}: the links file must be TriG (.trig), the format accepted links "
                          "are appended in")
    if not links_file.exists():
        return Graph()
    return load_dataset([links_file]).graph(CANONICAL.GRAPH["links"])


def sort_decisions(decisions: list[Decision], existing: Graph, review: Path,
                   base_iri: str) -> tuple[list[Decision], int]:
    """The decisions to add, and how many are already in ``existing`` (the links graph of the links file).

    A decision whose entity and item are already linked with another predicate is a conflict: two
    predicates for one pair say two different things, so nothing is added until a person picks
    one. Every conflict is reported at once, each with its row.
    """
    linked: dict[tuple[URIRef, URIRef], set[URIRef]] = {}
    for p in LINK_PROPERTIES:
        for s, o in existing.subject_objects(p):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                linked.setdefault((s, o), set()).add(p)
    new: list[Decision] = []
    present = 0
    conflicts: list[str] = []
    for d in decisions:
        predicates = linked.setdefault((_canonical_subject(d, base_iri), d.target), set())
        if d.predicate in predicates:
            present += 1
        elif predicates:
            conflicts.append(f"{review}:{d.row}: {d.entity} is already linked to {d.target} with "
                             f"{' and '.join(sorted(map(_name, predicates)))}, not {_name(d.predicate)}")
        else:
            predicates.add(d.predicate)
            new.append(d)
    if conflicts:
        raise ReviewError("; ".join(conflicts) + ". Nothing was added: set the row's predicate to the existing one "
                          "or reject the row, or first remove the existing link and its record from the links file")
    return new, present


def _target_key(target: str) -> str:
    """``wikidata-Q426130`` or ``geonames-1800627``: the target in a link record's IRI."""
    item = qid(target)
    return f"wikidata-{item}" if item else "geonames-" + target.rstrip("/").rsplit("/", 1)[-1]


def _name(predicate: URIRef) -> str:
    return next((name for name, iri in PREDICATES.items() if iri == predicate), str(predicate))


def _canonical_subject(d: Decision, base_iri: str) -> URIRef:
    return URIRef(rebase(d.entity, CANONICAL_BASE, from_base=Vocab(base_iri).base))
