"""The review file: an :class:`~mcfkg.extract.model.Extraction` as TriG, and back; and its table.

``mcfkg extract`` writes it, ``mcfkg review`` and the review page read and rewrite it. Its graphs:

- ``mcfg:<source>``: the ``mcf:SourceDocument`` as given on the command line (title, language, and
  publisher, URL and publication date only when given: see
  :func:`mcfkg.extract.accepted.document_triples`) and one ``mcf:Passage`` per sentence,
  ``mcfid:<source>/pP/sS`` with ``mcf:paragraph``, ``mcf:sentence`` and, when the sentence has
  candidates, an ``mcf:excerpt`` of at most six words taken from their evidence;
- ``mcfg:<source>/pP/sS/cK``: the triples of candidate K of that sentence (K from 1, in the
  extraction's order), in the project's conventions, ready to move into ``mcfg:<source>/pP/sS``;
- ``mcfg:<source>/review``: what the review needs and the graph never gets (vocabulary ``mcfr:``,
  ``ontology/review.ttl``): per candidate graph ``a mcfr:Candidate ; mcfr:sentence <passage> ;
  mcfr:kind ; mcfr:status ; mcfr:rule ; mcfr:confidence ; mcfr:evidence [ mcfr:start ; mcfr:end ;
  mcfr:words ]`` (and ``mcfr:note``); per passage ``mcfr:text`` (the whole sentence: this is a local
  working file, and its review graph is never ingested) and ``mcfr:offset``; and on the graph itself
  ``a mcfr:Review ; mcfr:notes ( ... )``, the extraction's notes in order.

:func:`read_review` gives back exactly what :func:`write_review` was given, with each candidate's
triples in :func:`~mcfkg.extract.relations.canonical_order` and its evidence in text order (the order
``extract()`` makes them in).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from mcfkg.extract.model import Article, Candidate, Extraction, Sentence, Span
from mcfkg.vocab import Vocab

MCFR = Namespace("https://w3id.org/mcfkg/def/review#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SDO = Namespace("https://schema.org/")
_VOCAB = Vocab()
PREFIXES = {"mcf": str(_VOCAB.MCF), "mcfid": str(_VOCAB.ID), "mcfg": str(_VOCAB.GRAPH), "mcfr": str(MCFR),
            "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "skos": "http://www.w3.org/2004/02/skos/core#",
            "dcterms": str(DCTERMS), "prov": "http://www.w3.org/ns/prov#", "org": "http://www.w3.org/ns/org#",
            "schema": str(SDO), "foaf": "http://xmlns.com/foaf/0.1/", "owl": "http://www.w3.org/2002/07/owl#"}
_CANDIDATE_GRAPH = re.compile(r"/p(\d+)/s(\d+)/c(\d+)$")


class ReviewFileError(ValueError):
    """A file that is not a review file as :func:`write_review` writes them; the message says why."""


def review_graph_iri(source_id: str) -> URIRef:
    return _VOCAB.GRAPH[f"{source_id}/review"]


def passage_iri(source_id: str, sentence: Sentence) -> URIRef:
    return _VOCAB.ID[f"{source_id}/p{sentence.paragraph}/s{sentence.number}"]


def candidate_ids(extraction: Extraction) -> list[str]:
    """``pP/sS/cK`` of each candidate, in order (K counts the candidates of one sentence, from 1)."""
    seen: dict[tuple[int, int], int] = defaultdict(int)
    ids = []
    for candidate in extraction.candidates:
        key = (candidate.sentence.paragraph, candidate.sentence.number)
        seen[key] += 1
        ids.append(f"p{key[0]}/s{key[1]}/c{seen[key]}")
    return ids


# --------------------------------------------------------------------------- writing
def review_dataset(extraction: Extraction) -> Dataset:
    """The review file's graphs (module docstring)."""
    from mcfkg.extract.accepted import document_triples, passage_triples  # one description of a source, shared

    source_id = extraction.source_id
    ds = Dataset()
    for prefix, namespace in PREFIXES.items():
        ds.bind(prefix, namespace)
    source = ds.graph(_VOCAB.GRAPH[source_id])
    for triple in document_triples(extraction):
        source.add(triple)
    by_sentence: dict[Sentence, list[Candidate]] = defaultdict(list)
    for candidate in extraction.candidates:
        by_sentence[candidate.sentence].append(candidate)
    review = ds.graph(review_graph_iri(source_id))
    for sentence in extraction.article.sentences:
        for triple in passage_triples(extraction, sentence, by_sentence.get(sentence, [])):
            source.add(triple)
        passage = passage_iri(source_id, sentence)
        review.add((passage, MCFR.text, Literal(sentence.text)))
        review.add((passage, MCFR.offset, Literal(sentence.offset)))
    for candidate, tail in zip(extraction.candidates, candidate_ids(extraction)):
        name = _VOCAB.GRAPH[f"{source_id}/{tail}"]
        graph = ds.graph(name)
        for triple in candidate.triples:
            graph.add(triple)
        review.add((name, RDF.type, MCFR.Candidate))
        review.add((name, MCFR.sentence, passage_iri(source_id, candidate.sentence)))
        review.add((name, MCFR.kind, Literal(candidate.kind)))
        review.add((name, MCFR.status, Literal(candidate.status)))
        review.add((name, MCFR.rule, Literal(candidate.rule)))
        review.add((name, MCFR.confidence, Literal(Decimal(str(candidate.confidence)))))
        for span in candidate.evidence:
            node = BNode()
            review.add((name, MCFR.evidence, node))
            review.add((node, MCFR.start, Literal(span.start)))
            review.add((node, MCFR.end, Literal(span.end)))
            review.add((node, MCFR.words, Literal(span.text)))
        if candidate.note:
            review.add((name, MCFR.note, Literal(candidate.note)))
    here = review_graph_iri(source_id)
    review.add((here, RDF.type, MCFR.Review))
    review.add((here, MCFR.source, _VOCAB.ID[source_id]))
    notes = BNode()
    Collection(review, notes, [Literal(note) for note in extraction.notes])
    review.add((here, MCFR.notes, notes))
    return ds


def write_review(extraction: Extraction, path: Path) -> None:
    """Write ``extraction`` to ``path`` as the review file (TriG, UTF-8)."""
    header = (f"# Review file of source {extraction.source_id}, written by `mcfkg extract`: candidate facts for a person "
              "to accept, reject or edit\n# (`mcfkg review`, or the review page). Graph mcfg:"
              f"{extraction.source_id}/pP/sS/cK holds candidate K of paragraph P, sentence S;\n# graph mcfg:"
              f"{extraction.source_id}/review holds the review's own data (mcfr:, ontology/review.ttl) and is never "
              "ingested.\n")
    data = review_dataset(extraction).serialize(format="trig", encoding="utf-8")
    Path(path).write_bytes(header.encode("utf-8") + data)


# --------------------------------------------------------------------------- reading
def read_review(path: Path) -> Extraction:
    """The extraction a review file holds (what :func:`write_review` was given)."""
    ds = Dataset()
    try:
        ds.parse(str(path), format="trig")
    except Exception as exc:  # noqa: BLE001 - rdflib raises many kinds; one readable message
        raise ReviewFileError(f"{path}: not a TriG file ({exc})") from None
    reviews = [s for g in ds.graphs() for s in g.subjects(RDF.type, MCFR.Review)]
    if len(reviews) != 1:
        raise ReviewFileError(f"{path}: expected one review graph (a mcfr:Review), found {len(reviews)}")
    review_node = reviews[0]
    if not isinstance(review_node, URIRef):
        raise ReviewFileError(f"{path}: the review graph must be named by an IRI")
    review = ds.graph(review_node)
    document = review.value(review_node, MCFR.source)
    if not isinstance(document, URIRef) or not str(document).startswith(str(_VOCAB.ID)):
        raise ReviewFileError(f"{path}: the review graph names no source document (mcfr:source)")
    source_id = str(document)[len(str(_VOCAB.ID)):]
    source = ds.graph(_VOCAB.GRAPH[source_id])
    article = _article(source, review, document, path)
    sentences = {(s.paragraph, s.number): s for s in article.sentences}
    found = []
    for name in review.subjects(RDF.type, MCFR.Candidate):
        match = _CANDIDATE_GRAPH.search(str(name))
        if not match:
            raise ReviewFileError(f"{path}: candidate graph {name} is not named …/pP/sS/cK")
        paragraph, number, k = (int(g) for g in match.groups())
        sentence = sentences.get((paragraph, number))
        if sentence is None:
            raise ReviewFileError(f"{path}: candidate {name} is of sentence p{paragraph}/s{number}, which has no passage")
        evidence = []
        for node in review.objects(name, MCFR.evidence):
            evidence.append(Span(_int(review.value(node, MCFR.start)), _int(review.value(node, MCFR.end)),
                                 str(review.value(node, MCFR.words))))
        evidence.sort(key=lambda s: (s.start, s.end, s.text))
        note = review.value(name, MCFR.note)
        from mcfkg.extract.relations import canonical_order

        graph_name = URIRef(str(name))
        triples = canonical_order(ds.graph(graph_name).triples((None, None, None)))
        confidence = review.value(name, MCFR.confidence)
        if not isinstance(confidence, Literal):
            raise ReviewFileError(f"{path}: candidate {name} has no mcfr:confidence")
        candidate = Candidate(sentence, str(review.value(name, MCFR.kind)), triples, evidence,  # type: ignore[arg-type]
                              str(review.value(name, MCFR.rule)), float(confidence.toPython()),
                              str(review.value(name, MCFR.status)), None if note is None else str(note))  # type: ignore[arg-type]
        found.append(((paragraph, number, k), candidate))
    found.sort(key=lambda pair: pair[0])
    notes_node = review.value(review_node, MCFR.notes)
    notes = [str(n) for n in Collection(review, notes_node)] if notes_node is not None else []
    return Extraction(source_id, article, [c for _, c in found], notes)


def _article(source: Graph, review: Graph, document: URIRef, path: Path) -> Article:
    title = source.value(document, DCTERMS.title)
    if title is None:
        raise ReviewFileError(f"{path}: the source document has no dcterms:title")
    url = source.value(document, SDO.url)
    issued = source.value(document, DCTERMS.issued)
    publisher = source.value(document, DCTERMS.publisher)
    language = source.value(document, DCTERMS.language)
    sentences = []
    for passage in source.subjects(RDF.type, _VOCAB.MCF.Passage):
        text = review.value(passage, MCFR.text)
        offset = review.value(passage, MCFR.offset)
        paragraph = source.value(passage, _VOCAB.MCF.paragraph)
        number = source.value(passage, _VOCAB.MCF.sentence)
        if text is None or offset is None or paragraph is None or number is None:
            raise ReviewFileError(f"{path}: passage {passage} lacks its paragraph, sentence, mcfr:text or mcfr:offset")
        sentences.append(Sentence(_int(paragraph), _int(number), str(text), _int(offset)))
    sentences.sort(key=lambda s: (s.paragraph, s.number))
    return Article(str(title), tuple(sentences), url=None if url is None else str(url),
                   published=None if issued is None else date.fromisoformat(str(issued)),
                   publisher=publisher if isinstance(publisher, URIRef) else None,
                   language=str(language) if language is not None else "en")


def _int(node: Node | None) -> int:
    if not isinstance(node, Literal):
        raise ReviewFileError(f"expected a number, found {node!r}")
    return int(node)


# --------------------------------------------------------------------------- the table
TABLE_COLUMNS = ("candidate", "paragraph", "sentence", "kind", "subject", "predicate", "object", "more triples",
                 "evidence", "rule", "confidence", "status", "note")
_DESCRIPTIVE = {RDF.type, RDFS.label, URIRef("http://www.w3.org/2004/02/skos/core#inScheme")}


def short(node: Node) -> str:
    """A node as a person reads it: ``prefix:local`` for an IRI, the text of a literal."""
    if isinstance(node, Literal):
        return str(node)
    text = str(node)
    for prefix, namespace in PREFIXES.items():
        local = text[len(namespace):]
        if text.startswith(namespace) and local and re.fullmatch(r"[A-Za-z0-9_.\-/]+", local):
            return f"{prefix}:{local}"
    return f"<{text}>"


def key_triple(candidate: Candidate) -> tuple[Node, Node, Node] | None:
    """The triple that says what a candidate is about: for an entity its type, else the first triple
    that is not a type, label or scheme (the relation itself)."""
    if not candidate.triples:
        return None
    if candidate.kind == "entity":
        return next((t for t in candidate.triples if t[1] == RDF.type), candidate.triples[0])
    return next((t for t in candidate.triples if t[1] not in _DESCRIPTIVE), candidate.triples[0])


def table_rows(extraction: Extraction) -> list[dict[str, str]]:
    rows = []
    for candidate, tail in zip(extraction.candidates, candidate_ids(extraction)):
        key = key_triple(candidate)
        rows.append({
            "candidate": tail, "paragraph": str(candidate.sentence.paragraph), "sentence": str(candidate.sentence.number),
            "kind": candidate.kind,
            "subject": short(key[0]) if key else "", "predicate": short(key[1]) if key else "",
            "object": short(key[2]) if key else "", "more triples": str(max(0, len(candidate.triples) - 1)),
            "evidence": " … ".join(span.text for span in candidate.evidence), "rule": candidate.rule,
            "confidence": f"{candidate.confidence:g}", "status": candidate.status, "note": candidate.note or ""})
    return rows


def write_table(extraction: Extraction, path: Path) -> None:
    """The candidates as a table a person reads: Markdown for ``.md``, else CSV (UTF-8)."""
    rows = table_rows(extraction)
    path = Path(path)
    if path.suffix.lower() in {".md", ".markdown"}:
        out = [f"# Candidates of {extraction.source_id}", "",
               f"{len(rows)} candidates from \"{extraction.article.title}\". Review them with "
               "`mcfkg review` (this table is for reading only).", "",
               "| " + " | ".join(TABLE_COLUMNS) + " |", "|" + "---|" * len(TABLE_COLUMNS)]
        for row in rows:
            out.append("| " + " | ".join(_md(row[c]) for c in TABLE_COLUMNS) + " |")
        if extraction.notes:
            out += ["", "## Notes", ""] + [f"- {_md(note)}" for note in extraction.notes]
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TABLE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _md(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("|", "\\|")
